/** The report formats of `servelint --format`, by name. */
import type { Format } from '../options';
import type { ReportInput, Write } from './types';
import { formatText } from './text';
import { formatJson } from './json';
import { formatSarif } from './sarif';
import { formatGithub } from './github';
import { formatJunit } from './junit';
import { formatMarkdown } from './markdown';

export const FORMATTERS: Record<Format, (input: ReportInput, write: Write) => void> = {
  text: formatText,
  json: formatJson,
  sarif: formatSarif,
  github: formatGithub,
  junit: formatJunit,
  markdown: formatMarkdown,
};
