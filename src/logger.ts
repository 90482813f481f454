import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * JSON lines on stdout. The bot token is part of every Bot API URL, so any string that
 * could carry it is redacted before it is written.
 */
export function createLogger(options: { level: string; secrets?: string[] }): Logger {
  const secrets = (options.secrets ?? []).filter((secret) => secret.length > 0);
  return pino({
    level: options.level,
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    hooks: {
      streamWrite(line) {
        let out = line;
        for (const secret of secrets) out = out.split(secret).join('[redacted]');
        return out;
      },
    },
  });
}
