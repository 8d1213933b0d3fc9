import type { Rule } from '../engine/rule';
import { get, nodeRange, str } from '../engine/yaml/nodes';
import { containerLoc, serverName } from './helpers';

/** Tags that stand for "fill in a version": never a real release. */
const PLACEHOLDER_TAG = /^(<.*>|tag|image[-_]?tag|replace[-_]?me|changeme|version|x\.y(\.z)?|vx\.y(\.z)?|\$.*|%.*%|todo)$/i;
/** A whole image that is a placeholder: `<image>`, `IMAGE_NAME`, `${IMAGE}`. */
const PLACEHOLDER_IMAGE = /^(<[^>]*>|[A-Z][A-Z0-9_]*|\$.*)$/;
/**
 * Repositories named after a release, whose untagged (latest) image only gets rebuilds of that release: Google's
 * Deep Learning Containers, e.g. …/huggingface-text-generation-inference-cu124.2-3.ubuntu2204.py311.
 */
const VERSIONED_REPO = /\d+[.-]\d+.*\.(ubuntu|py)\d+/;
/** Branch-like tags that registries move on every build (vllm/vllm-openai:nightly, …:main). */
const MOVING_TAG = /^(main|master|nightly|dev|develop|edge|head|unstable|canary|snapshot|trunk|release)$/i;

/** `registry:5000/org/repo:tag@sha256:…` → its tag (and where it starts), or none; digests pin the image. */
export function imageTag(image: string): { tag?: string; at: number; digest: boolean } {
  if (image.includes('@')) return { at: -1, digest: true };
  const slash = image.lastIndexOf('/');
  const colon = image.indexOf(':', slash + 1);
  return colon < 0 ? { at: -1, digest: false } : { tag: image.slice(colon + 1), at: colon + 1, digest: false };
}

export const rule: Rule = {
  meta: {
    id: 'mutable-image-tag',
    type: 'suggestion',
    defaultSeverity: 'warning',
    description:
      'The model-server image has no fixed version (:latest, no tag, a placeholder tag, or a branch tag pulled Always): a restart or a new node can silently run a different server release.',
    docs: { catches: 'model-server image with :latest, no tag, a placeholder tag, or a branch tag with imagePullPolicy Always' },
    fixable: false,
    needs: [],
    messages: {
      latest:
        'Image {{image}} uses {{what}}: every pull (new node, eviction, scale-up) can bring a different {{server}} release, with other defaults, ' +
        'flags and bugs, and mixed versions across replicas. Pin the release you tested (a version tag such as :v0.8.5) or a digest (@sha256:…).',
      placeholder:
        'Image {{what}}"{{tag}}" is a placeholder, not a release: the pull fails (ErrImagePull) or gets whatever someone pushed under that name. ' +
        'Set the {{server}} release you tested or a digest.',
      moving:
        'Image tag "{{tag}}" follows a branch and imagePullPolicy is Always: every pod start can pull a different {{server}} build, ' +
        'so replicas of one rollout run different code. Pin a release tag or a digest.',
    },
  },
  check(ctx) {
    for (const unit of ctx.analysis.servers) {
      const c = unit.container;
      const image = c.image?.trim();
      if (!image || image.includes('{{')) continue;
      const doc = unit.template.doc;
      const { tag, at, digest } = imageTag(image);
      if (digest) continue;
      const r = nodeRange(c.imageNode);
      const src = r ? doc.text.indexOf(image, r[0]) : -1;
      const whole = r ? { doc, start: r[0], end: r[1] } : containerLoc(unit);
      const tagLoc = tag !== undefined && src >= 0 && r && src < r[1] ? { doc, start: src + at, end: src + at + tag.length } : whole;
      const base = { server: serverName(unit) };
      if (PLACEHOLDER_IMAGE.test(image)) {
        ctx.report({ loc: whole, messageId: 'placeholder', data: Object.assign({}, base, { tag: image, what: '' }) });
      } else if (tag === undefined && VERSIONED_REPO.test(image.slice(image.lastIndexOf('/') + 1))) {
        continue;
      } else if (tag === undefined || tag.toLowerCase() === 'latest') {
        ctx.report({ loc: tag === undefined ? whole : tagLoc, messageId: 'latest', data: Object.assign({}, base, { image, what: tag === undefined ? 'no tag (so :latest)' : ':latest' }) });
      } else if (PLACEHOLDER_TAG.test(tag)) {
        ctx.report({ loc: tagLoc, messageId: 'placeholder', data: Object.assign({}, base, { tag, what: 'tag ' }) });
      } else if (MOVING_TAG.test(tag) && str(get(c.node, 'imagePullPolicy', doc.doc)) === 'Always') {
        ctx.report({ loc: tagLoc, messageId: 'moving', data: Object.assign({}, base, { tag }) });
      }
    }
  },
};
