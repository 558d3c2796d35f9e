/**
 * What a mail server's failure means for whoever runs the portal, from the
 * short code nodemailer gives it: the log says this beside the code, since
 * with a wrong SMTP_URL the log is all an admin has (their own sign-in link
 * is among the messages that do not leave). Never the server's reply, which
 * may name a recipient.
 */
const WORDS: Record<string, string> = {
  EAUTH: "the mail server refused the user name or password in SMTP_URL",
  ENOAUTH: "the mail server asks for a user name and password, and SMTP_URL gives none",
  ESOCKET: "the mail server in SMTP_URL could not be reached, or dropped the connection (is it running, and are the host and port right?)",
  ECONNECTION: "the mail server in SMTP_URL could not be reached, or dropped the connection (is it running, and are the host and port right?)",
  ETIMEDOUT: "the mail server in SMTP_URL did not answer in time",
  EDNS: "the mail server's host name in SMTP_URL could not be looked up",
  ETLS: "no secure connection could be made to the mail server (smtps:// is for port 465; use smtp:// for ports 587 and 25)",
  EENVELOPE: "the mail server refused a sender or recipient (see Mail in the staff dashboard)",
  EMESSAGE: "the mail server refused a message (see Mail in the staff dashboard)",
};

/** "the mail server refused the user name or password in SMTP_URL (EAUTH)", or the bare code when there are no better words. */
export function smtpProblem(code: string | null): string {
  if (code === null) return "error";
  const words = WORDS[code];
  return words ? `${words} (${code})` : code;
}
