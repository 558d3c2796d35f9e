import { describe, expect, it } from "vitest";
import type { Language } from "@/lib/language/languages";
import { parseAnswer, parseCancel, parseConcernMessage } from "./supporter-forms";

const REF = "RD-7K3Q-9XWM";
const HUGE = "x".repeat(10_001);

describe("what a supporter sends from their request's page, answered in their language", () => {
  it.each<[string, Language | undefined, Record<string, string>, ReturnType<typeof parseAnswer>]>([
    ["an answer", undefined, { reference: REF, answer: "The old address." }, { ok: true, value: { reference: REF, answer: "The old address." } }],
    ["no answer", undefined, { reference: REF }, { ok: false, fieldErrors: { answer: "Write your answer before sending it." } }],
    ["only line breaks", "en", { reference: REF, answer: "\n\n" }, { ok: false, fieldErrors: { answer: "Write your answer before sending it." } }],
    ["too long", "en", { reference: REF, answer: HUGE }, { ok: false, fieldErrors: { answer: "Your answer must be 10,000 characters or fewer." } }],
    ["as long as allowed", "en", { reference: REF, answer: "x".repeat(10_000) }, { ok: true, value: { reference: REF, answer: "x".repeat(10_000) } }],
    ["no reference", "en", { reference: "nope", answer: "Hi" }, { ok: false, fieldErrors: { reference: "That is not a request reference, such as RD-7K3Q-9XWM." } }],
    ["no answer, in French", "fr", { reference: REF }, { ok: false, fieldErrors: { answer: "Écrivez votre réponse avant de l’envoyer." } }],
    ["too long, in German", "de", { reference: REF, answer: HUGE }, { ok: false, fieldErrors: { answer: "Ihre Antwort darf höchstens 10.000 Zeichen lang sein." } }],
    ["a control character, in Spanish", "es", { reference: REF, answer: "Hola\u0007" }, { ok: false, fieldErrors: { answer: "Su respuesta contiene caracteres de control ocultos; elimínelos e inténtelo de nuevo." } }],
  ])("%s (%s)", (_what, language, input, expected) => {
    expect(parseAnswer(input, language)).toEqual(expected);
  });

  it.each<[Language, string]>([
    ["en", "Write your message."],
    ["fr", "Écrivez votre message."],
    ["es", "Escriba su mensaje."],
    ["de", "Schreiben Sie Ihre Nachricht."],
  ])("a concern's empty message is refused in %s", (language, sentence) => {
    expect(parseConcernMessage({ reference: REF, message: " " }, language)).toEqual({ ok: false, fieldErrors: { message: sentence } });
  });

  it("cancelling needs a reference and the box ticked", () => {
    expect(parseCancel({ reference: ` ${REF.toLowerCase()} `, confirm: "yes" })).toEqual({ ok: true, value: { reference: REF } });
    expect(parseCancel({ reference: "42", confirm: "yes" }, "fr")).toMatchObject({ ok: false, fieldErrors: { reference: expect.stringContaining("RD-7K3Q-9XWM") } });
  });

  it.each([
    ["en", {}, "Tick the box to confirm that you want to cancel this request."],
    ["fr", { confirm: "" }, "Cochez la case pour confirmer que vous voulez annuler cette demande."],
    ["es", { confirm: "on" }, "Marque la casilla para confirmar que quiere cancelar esta solicitud."],
    ["de", { confirm: "no" }, "Kreuzen Sie das Kästchen an, um zu bestätigen, dass Sie diese Anfrage zurückziehen möchten."],
  ] as const)("a cancel without the box ticked is refused in %s (%j)", (language, box, sentence) => {
    expect(parseCancel({ reference: REF, ...box }, language)).toEqual({ ok: false, fieldErrors: { confirm: sentence } });
  });
});
