import { ConfigError, describeConfig, loadConfig } from './config';
import { startServer } from './app';
import { SANDBOX_USER } from '../sandbox/identity/issuer';
import { banner } from './banner';
import { createLogger, routeConsole } from './log';

/** Entry point: read the configuration once, start, and stop cleanly on a signal. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  routeConsole(logger);
  const app = await startServer(config, { logger });
  const client = app.sandbox
    ? { appId: config.appId, clientSecret: app.sandbox.clientSecret, identityUrl: `${app.url}/sandbox/identity`, user: SANDBOX_USER }
    : undefined;
  process.stdout.write(banner(app.url, describeConfig(config), app.sandboxUrls, config.storage, client));
  const stop = () => {
    app.close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error('stopped with an error', { error: err });
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`failed to start: ${err instanceof ConfigError ? err.message : err instanceof Error ? err.name : 'error'}\n`);
  process.exit(1);
});
