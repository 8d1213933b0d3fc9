/** Public API of the cost model. */
export * from './types';
export * from './gpu-catalog';
export * from './identify-gpu';
export * from './models';
export * from './quantization';
export * from './throughput';
export * from './moe-kernels';
export * from './pricing';
export * from './weight-load';
export * from './validate';
export * from './annotations';
export * from './compute';
export * from './format';
