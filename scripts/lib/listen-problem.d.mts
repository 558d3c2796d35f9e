export function listenProblem(error: NodeJS.ErrnoException, at: { port: number; host: string | undefined }): string;
