/**
 * Files this process creates, and those of the processes it starts, are its
 * user's alone (owner read and write; folders owner only): the database and
 * its log, backups, the mail folder (whose messages hold sign-in and
 * confirmation links), exports and keys hold supporters' personal data or
 * open the portal, and another account on the same machine has no business
 * reading them. Files that already exist keep the permissions they have.
 */
export function keepNewFilesPrivate(): void {
  process.umask(0o077);
}
