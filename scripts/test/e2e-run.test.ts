import { describe, expect, it } from "vitest";
import { partPrinter } from "./e2e-run";

/** A stream that records what it was given, tagged with its name, into one shared log. */
function recorder(name: string, log: string[]) {
  return { write: (text: string) => log.push(`${name}:${text}`) };
}

type Step = ["feed", "out" | "err", string] | ["end", "out" | "err"] | ["release"] | ["look"];

describe("an end-to-end run's output", () => {
  const cases: Array<{ name: string; hold: boolean; steps: Step[]; seen: string[][] }> = [
    {
      name: "not held: each whole line printed as it comes, marked with its part",
      hold: false,
      steps: [["feed", "out", "one\ntw"], ["look"], ["feed", "out", "o\n"], ["look"], ["feed", "out", "last"], ["end", "out"], ["look"]],
      seen: [["out:(serial) one\n"], ["out:(serial) one\n", "out:(serial) two\n"], ["out:(serial) one\n", "out:(serial) two\n", "out:(serial) last\n"]],
    },
    {
      name: "held: nothing until released, then every line in the order it came, then as it comes",
      hold: true,
      steps: [["feed", "out", "a\n"], ["feed", "err", "b\nc"], ["feed", "out", "d\n"], ["look"], ["release"], ["look"], ["end", "err"], ["look"]],
      seen: [[], ["out:(serial) a\n", "err:(serial) b\n", "out:(serial) d\n"], ["out:(serial) a\n", "err:(serial) b\n", "out:(serial) d\n", "err:(serial) c\n"]],
    },
    {
      name: "a stream's unfinished line is its own: the other stream's lines do not join it",
      hold: false,
      steps: [["feed", "out", "half"], ["feed", "err", "whole\n"], ["feed", "out", " and half\n"], ["look"]],
      seen: [["err:(serial) whole\n", "out:(serial) half and half\n"]],
    },
    {
      name: "released twice, or after the run ended: each line once",
      hold: true,
      steps: [["feed", "out", "x\ny"], ["end", "out"], ["release"], ["release"], ["look"]],
      seen: [["out:(serial) x\n", "out:(serial) y\n"]],
    },
  ];

  it.each(cases)("$name", ({ hold, steps, seen }) => {
    const log: string[] = [];
    const outs = { out: recorder("out", log), err: recorder("err", log) };
    const printer = partPrinter("serial", { hold });
    const looks: string[][] = [];
    for (const step of steps) {
      if (step[0] === "feed") printer.feed(outs[step[1]], step[2]);
      else if (step[0] === "end") printer.end(outs[step[1]]);
      else if (step[0] === "release") printer.release();
      else looks.push([...log]);
    }
    expect(looks).toEqual(seen);
  });
});
