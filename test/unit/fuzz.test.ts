/** A short, seeded sample of the fuzzer (the long run: npm run fuzz -- --cases 100000). */
import { test } from 'node:test';
import fc from 'fast-check';
import { property, seeds } from '../fuzz/properties';

test('fuzz sample: 300 mutated manifests, seed 20261130 (no crash, no impossible number, fixes converge)', () => {
  fc.assert(property(seeds()), { numRuns: 300, seed: 20261130, endOnFailure: true });
});
