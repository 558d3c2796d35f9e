/**
 * The one sentence `npm start` prints when the server cannot listen: the
 * address and port it was given, what is wrong with them and which setting
 * to change. Plain JavaScript, since scripts/serve.mjs runs without a loader.
 *
 * @param {NodeJS.ErrnoException} error what `server.listen` reported
 * @param {{ port: number, host: string | undefined }} at the port and the LISTEN_HOST it listened on
 * @returns {string}
 */
export function listenProblem(error, { port, host }) {
  const where = host ? `${host}, port ${port}` : `port ${port}`;
  switch (error.code) {
    case "EADDRINUSE":
      return `port ${port} is already in use${host ? ` on ${host}` : ""}: stop what uses it, or set PORT to another.`;
    case "EADDRNOTAVAIL":
      return `LISTEN_HOST is ${host}, which is not an address of this machine: set it to one of this machine's addresses, such as 127.0.0.1, or leave it unset to listen on every interface.`;
    case "EACCES":
    case "EPERM":
      return `this user may not listen on ${where} (ports below 1024 need the system's permission): set PORT to 1024 or above, and let a reverse proxy take port 80 or 443.`;
    default:
      return `it cannot listen on ${where} (${error.message}).`;
  }
}
