import type { Rule } from '../engine/rule';
import { serverName } from './helpers';
import { isLocalPath, modelLoc, mountCovering, mountsOf } from './model-source';

/**
 * Directories where manifests mount model volumes (PVCs, hostPaths, CSI buckets). A model under one of them is
 * meant to come from a volume; elsewhere (/opt/…, /app/…, /root/…) it may well be baked into the image, so only
 * paths under these roots are reported.
 */
const MOUNT_ROOTS = /^\/(models?|mnt|data|weights|checkpoints|var\/mdl|pvc|nfs|fsx|efs|gcs|lustre|shared|model-cache|models-cache)(\/|$)/;

export const rule: Rule = {
  meta: {
    id: 'model-path-not-mounted',
    type: 'problem',
    defaultSeverity: 'error',
    description:
      'The server loads its model from a local path under a volume root (/models, /mnt, /data, …) that no volumeMount of its container covers: the directory is empty and the server fails at start.',
    docs: { catches: 'a local model path (--model /models/…) that no volumeMount of the container covers' },
    fixable: false,
    needs: [],
    messages: {
      notMounted:
        '{{server}} loads the model from {{path}} ({{flag}}) but no volumeMount of container "{{container}}" covers it{{mounts}}: ' +
        'unless the image itself contains {{path}}, the directory is missing and the server exits at start (CrashLoopBackOff). ' +
        'Mount the volume that holds the weights at {{root}} or a parent, or fix the path.',
    },
  },
  check(ctx) {
    for (const unit of ctx.analysis.servers) {
      const model = unit.server.args.model;
      if (!model || model.flag === 'image') continue;
      const path = model.value.trim().replace(/\/+$/, '');
      if (!isLocalPath(path) || !MOUNT_ROOTS.test(path)) continue;
      const mounts = mountsOf(unit.container, unit.template);
      if (mountCovering(mounts, path)) continue;
      ctx.report({
        loc: modelLoc(unit, model),
        messageId: 'notMounted',
        data: {
          server: serverName(unit),
          path,
          flag: model.flag,
          container: unit.container.name,
          mounts: mounts.length ? ` (its mounts: ${mounts.map((m) => m.mountPath).join(', ')})` : ' (it has none)',
          root: `/${path.split('/')[1]}`,
        },
      });
    }
  },
};
