import type { Rule } from '../engine/rule';
import { DOWNLOAD_GBPS_ANNOTATION, downloadGbps, weightsDownloadOf } from '../engine/weights-download';
import { fmtNum, serverName } from './helpers';
import { modelLoc } from './model-source';

/** Above this checkpoint size a re-download on every start is a warning, not a note. */
const WARN_GB = 50;

export const rule: Rule = {
  meta: {
    id: 'weights-downloaded-on-start',
    type: 'suggestion',
    defaultSeverity: 'info',
    description:
      'The server downloads a Hugging Face model on every start: no persistent volume (PVC, hostPath, CSI, …) holds its Hub cache, so each new or restarted replica pulls the whole checkpoint again.',
    docs: { catches: 'a Hub model id with no persistent volume at the Hub cache / --download-dir (warning above 50 GB)' },
    fixable: false,
    needs: ['memoryFit'],
    messages: {
      download:
        '{{server}} downloads {{model}}{{size}} from the Hugging Face Hub on every start: its cache {{dir}} ({{dirFrom}}) is {{where}}. ' +
        'Every new, rescheduled or restarted replica downloads it again before loading it{{time}}, and Hub rate limits or an outage keep it from starting. {{remedy}}',
    },
  },
  check(ctx) {
    const a = ctx.analysis;
    for (const unit of a.servers) {
      const d = weightsDownloadOf(unit);
      if (!d) continue;
      const m = unit === a.primary ? a.memoryFit?.model : undefined;
      const gb = m ? (m.checkpointBytes ?? m.weightBytes) / 1e9 : undefined;
      const rate = downloadGbps(a.annotations);
      ctx.report({
        loc: modelLoc(unit, d.model),
        messageId: 'download',
        severity: gb !== undefined && gb > WARN_GB ? 'warning' : undefined,
        data: {
          server: d.by ?? serverName(unit),
          remedy: d.remedy ?? `Mount a PersistentVolumeClaim (or a node-local / CSI model cache) at ${d.dir}, or pre-load the weights into a volume and serve them from a path.`,
          model: d.model.value.trim(),
          size: gb !== undefined ? ` (${fmtNum(Math.round(gb * 10) / 10)} GB)` : '',
          dir: d.dir,
          dirFrom: d.dirFrom,
          where: d.mount ? `an ${d.mount.source} volume ("${d.mount.volume}" at ${d.mount.mountPath}), which is deleted with the pod` : 'not on any volume (the container filesystem)',
          time: gb !== undefined ? ` (≥ ${Math.round(gb / rate.gbps)} s at ${rate.gbps} GB/s, ${rate.source === 'default' ? 'an optimistic assumption' : 'annotation'}: set ${DOWNLOAD_GBPS_ANNOTATION} to your measured rate; the weight-load time of the other rules includes it)` : '',
        },
      });
    }
  },
};
