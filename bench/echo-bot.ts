/**
 * The baseline: botbuilder's echo bot sample on restify with CloudAdapter, nothing else. No Bot Framework
 * authentication (as the app in sandbox mode), the same body parser, the same connector stand-in. Its turn is
 * the framework's floor: one inbound request, one reply.
 */
import { ActivityHandler, CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import * as restify from 'restify';
import { serveOrchestrator } from './server-child';

class EchoBot extends ActivityHandler {
  constructor() {
    super();
    this.onMessage(async (context, next) => {
      await context.sendActivity(`Echo: ${context.activity.text}`);
      await next();
    });
  }
}

async function main(): Promise<void> {
  const server = restify.createServer({ handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ mapParams: false }));
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  const bot = new EchoBot();
  server.post('/api/messages', async (req: restify.Request, res: restify.Response) => {
    await adapter.process(req, res, (context) => bot.run(context));
  });
  await new Promise<void>((resolve) => {
    server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', resolve);
  });
  const { port } = server.address();
  serveOrchestrator(`http://127.0.0.1:${port}`, {
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
      }),
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`echo bot failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
