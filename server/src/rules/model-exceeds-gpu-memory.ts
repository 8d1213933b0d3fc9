import type { Rule } from '../engine/rule';
import type { Loc } from '../engine/yaml/nodes';
import { containerLoc, fmtNum } from './helpers';

export const rule: Rule = {
  meta: {
    id: 'model-exceeds-gpu-memory',
    type: 'problem',
    defaultSeverity: 'error',
    description:
      "The model's weights do not fit in the pod's GPU memory (GPUs per pod × memory × gpu-memory-utilization), so the server fails to start.",
    docs: { catches: 'weights > GPUs per pod × memory × gpu-memory-utilization' },
    fixable: false,
    needs: ['memoryFit'],
    messages: {
      doesNotFit:
        '{{model}} needs ~{{weightsGB}} GB of weights ({{params}}B params × {{bytes}} bytes, {{quantization}}) ' +
        'but {{gpus}} × {{gpu}} ({{gpuGB}} GB) × gpu-memory-utilization {{utilization}} = {{availableGB}} GB: ' +
        'the server cannot load the model (and needs more room still for the KV cache). Use more GPUs per pod (tensor parallel), a larger GPU{{quantize}}',
    },
  },
  check(ctx) {
    const a = ctx.analysis;
    const report = a.memoryFit;
    const fit = report?.memoryFit;
    const model = report?.model;
    if (!report || !fit || !model || fit.fits) return;
    const token = a.primary.server.args.model?.token;
    const where: Loc | undefined =
      token?.start !== undefined && token.end !== undefined ? { doc: a.primary.template.doc, start: token.start, end: token.end } : containerLoc(a.primary);
    const gpusPerReplica = report.gpusPerReplica;
    ctx.report({
      loc: where,
      messageId: 'doesNotFit',
      data: {
        model: model.input || model.id,
        weightsGB: fmtNum(Math.round(fit.weightsGB * 10) / 10),
        params: fmtNum(model.totalParamsB),
        bytes: fmtNum(model.bytesPerParam, 3),
        quantization: model.quantizationSource,
        gpus: gpusPerReplica,
        gpu: String(report.gpu.id),
        gpuGB: fmtNum(gpusPerReplica > 0 ? fit.totalGpuMemoryGB / gpusPerReplica : 0),
        utilization: fmtNum(fit.gpuMemoryUtilization),
        availableGB: fmtNum(Math.round(fit.availableGB * 10) / 10),
        quantize: model.bytesPerParam >= 1 ? ' or a quantized model.' : '.',
      },
    });
  },
};
