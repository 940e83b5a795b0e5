import { installProcessGuard } from './process-guard';

describe('installProcessGuard', () => {
  it('logs escaped errors and exits only when they pile up within the window', () => {
    const lines: string[] = [];
    const exits: number[] = [];
    const remove = installProcessGuard(
      { error: (m) => lines.push(m) },
      { maxErrors: 2, windowMs: 60_000, exit: (c) => exits.push(c) },
    );
    try {
      process.emit('uncaughtException', new Error('boom 1'));
      process.emit('unhandledRejection', 'why', Promise.resolve());
      expect(exits).toEqual([]);
      expect(lines[0]).toMatch(/^uncaught exception \(the process keeps serving\): Error: boom 1/);
      expect(lines[1]).toBe('unhandled rejection (the process keeps serving): why');
      process.emit('uncaughtException', new Error('boom 3'));
      expect(exits).toEqual([1]);
    } finally {
      remove();
    }
  });
});
