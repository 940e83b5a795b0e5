import { randomUUID } from 'node:crypto';
import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { AppConfig } from '../config/app-config';

/** Headers that carry secrets: never written to a log line. */
const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["mux-signature"]',
  'req.headers["svix-signature"]',
  'req.headers["sec-websocket-protocol"]',
];

/** JSON logs (pino) with a request id per request (x-request-id honoured) and no secrets. */
@Module({})
export class LoggingModule {
  static forRoot(config: AppConfig, destination?: DestinationStream): DynamicModule {
    const options = {
      level: config.logLevel,
      redact: { paths: REDACT, censor: '[redacted]' },
      genReqId: (
        req: { headers: Record<string, unknown> },
        res: { setHeader(n: string, v: string): void },
      ) => {
        const given = req.headers['x-request-id'];
        const id = typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
        res.setHeader('x-request-id', id);
        return id;
      },
      customProps: () => ({ instance: config.instanceId }),
    };
    return {
      module: LoggingModule,
      imports: [LoggerModule.forRoot({ pinoHttp: destination ? [options, destination] : options })],
    };
  }
}
