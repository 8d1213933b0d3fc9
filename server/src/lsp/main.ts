/** servelint language server entry point (the bundle's and the `servelint-language-server` bin's). */
import { startServer } from './server';

startServer();
