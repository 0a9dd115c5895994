// Bad usage of the command line: the CLI prints the message and exits with code 2.
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
