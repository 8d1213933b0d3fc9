/** A model server servelint does not recognise (detected by its accelerator or forced by annotation). */
import type { ServerProfile } from './types';

export const unknown: ServerProfile = {
  kind: 'unknown',
  name: 'model server',
  port: 8000,
  health: '/health',
};
