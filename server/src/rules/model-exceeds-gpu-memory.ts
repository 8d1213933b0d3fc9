import type { Rule } from '../engine/rule';
import type { Loc } from '../engine/yaml/nodes';
import { containerLoc, fmtNum } from './helpers';

export const rule: Rule = {
  id: 'model-exceeds-gpu-memory',
  defaultSeverity: 'error',
  description:
    "The model's weights do not fit in the pod's GPU memory (GPUs per pod × memory × gpu-memory-utilization), so the server fails to start.",
  hasFix: false,
  check(ctx) {
    const a = ctx.analysis;
    const report = a.cost.report;
    const fit = report?.memoryFit;
    const model = report?.model;
    if (!report || !fit || !model || fit.fits) return;
    const token = a.primary.server.args.model?.token;
    const where: Loc | undefined =
      token?.start !== undefined && token.end !== undefined ? { doc: a.primary.template.doc, start: token.start, end: token.end } : containerLoc(a.primary);
    const gpusPerReplica = report.gpusPerReplica;
    const gpuMem = gpusPerReplica > 0 ? fit.totalGpuMemoryGB / gpusPerReplica : 0;
    ctx.report(
      where,
      `${model.input || model.id} needs ~${fmtNum(Math.round(fit.weightsGB * 10) / 10)} GB of weights (${fmtNum(model.totalParamsB)}B params × ${fmtNum(model.bytesPerParam, 3)} bytes, ${model.quantizationSource}) ` +
        `but ${gpusPerReplica} × ${report.gpu.id} (${fmtNum(gpuMem)} GB) × gpu-memory-utilization ${fmtNum(fit.gpuMemoryUtilization)} = ${fmtNum(Math.round(fit.availableGB * 10) / 10)} GB: ` +
        `the server cannot load the model (and needs more room still for the KV cache). Use more GPUs per pod (tensor parallel), a larger GPU` +
        (model.bytesPerParam >= 1 ? ' or a quantized model.' : '.'),
    );
  },
};
