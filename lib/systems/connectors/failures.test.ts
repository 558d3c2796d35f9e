import { describe, expect, it } from "vitest";
import { CredentialsError } from "./credentials";
import { MapRefusal } from "./database-work";
import { describeFailure, SystemAnswer } from "./failures";

function withCode(code: string, message = "duplicate key value violates unique constraint (email)=(ada@example.org)"): Error {
  return Object.assign(new Error(message), { code });
}

describe("what staff are told when a system fails", () => {
  const cases: Array<{ name: string; error: unknown; sentence: RegExp; retry: boolean }> = [
    { name: "a refused connection", error: withCode("ECONNREFUSED"), sentence: /refused the connection/, retry: true },
    { name: "PostgreSQL's wrong password", error: withCode("28P01"), sentence: /refused the user name or password/, retry: true },
    { name: "MySQL's wrong password", error: withCode("ER_ACCESS_DENIED_ERROR"), sentence: /refused the user name or password/, retry: true },
    { name: "a missing permission", error: withCode("42501"), sentence: /lacks a permission/, retry: true },
    { name: "PostgreSQL's statement timeout", error: withCode("57014"), sentence: /took longer than the time allowed/, retry: true },
    { name: "MariaDB's statement timeout, by number", error: Object.assign(new Error("x"), { errno: 1969 }), sentence: /took longer than the time allowed/, retry: true },
    { name: "a unique key", error: withCode("23505"), sentence: /already used by another row/, retry: false },
    { name: "PostgreSQL's value too long for its column", error: withCode("22001", "value too long for type character varying(12)"), sentence: /longer than its column holds/, retry: false },
    { name: "MariaDB's value too long for its column", error: withCode("ER_DATA_TOO_LONG", "Data too long for column 'full_name' at row 1"), sentence: /longer than its column holds/, retry: false },
    { name: "a foreign key", error: withCode("ER_ROW_IS_REFERENCED_2"), sentence: /other rows still refer to these/, retry: true },
    { name: "the driver's own time limit", error: new Error("Query read timeout"), sentence: /did not answer in time/, retry: true },
    { name: "an error nobody knows", error: withCode("XX999"), sentence: /an error Rightsdesk does not recognise/, retry: true },
    { name: "something that is not an error", error: "oops", sentence: /an error Rightsdesk does not recognise/, retry: true },
    { name: "a refusal of Rightsdesk's own", error: new MapRefusal("The corrected name is longer than people.name holds (10 characters); nothing was written to this system."), sentence: /^The corrected name is longer/, retry: false },
    { name: "a password that cannot be read", error: new CredentialsError("The stored password cannot be read with this installation's key; enter the password again."), sentence: /enter the password again/, retry: false },
    { name: "an answer a connector chose", error: new SystemAnswer("the list server refused the REST user name or password", true), sentence: /^the list server refused/, retry: true },
  ];
  for (const { name, error, sentence, retry } of cases) {
    it(`says ${name} in a fixed sentence${retry ? ", to be tried again" : ""}`, () => {
      const failure = describeFailure(error);
      expect(failure.sentence).toMatch(sentence);
      expect(failure.retry).toBe(retry);
      // Never the server's own words, which can quote a row.
      expect(failure.sentence).not.toContain("ada@example.org");
    });
  }
});
