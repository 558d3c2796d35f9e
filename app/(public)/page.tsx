import Link from "next/link";
import { REQUEST_TYPES } from "@/db/schema";
import { REQUEST_TYPE_INFO } from "@/lib/vocabulary/request-types";
import { getSettings } from "@/server/settings";

export default function HomePage() {
  const { orgName, regime } = getSettings();
  const answerTime = regime === "gdpr" ? "one month" : "45 days";
  return (
    <>
      <h1>Your data, your rights</h1>
      <p className="lede">
        {orgName} holds some information about you if you have donated, signed a petition, joined, or
        signed up for emails. You have the right to see it, correct it, have it deleted, stop our emails,
        or tell us about a concern. Ask here and we will answer within {answerTime}.
      </p>
      <h2>What would you like to do?</h2>
      <ul className="cards">
        {REQUEST_TYPES.map((type) => {
          const info = REQUEST_TYPE_INFO[type];
          return (
            <li className="card" key={type}>
              <h3>{info.label}</h3>
              <p>{info.explanation}</p>
              <Link className="button" href={`/new?type=${type}`}>
                {info.start}
              </Link>
            </li>
          );
        })}
      </ul>
      <h2>How it works</h2>
      <ol>
        <li>Tell us what you would like and give your email address.</li>
        <li>We email you a link. Following it proves the address is yours and sends your request.</li>
        <li>We answer within {answerTime} and you can follow every step here.</li>
      </ol>
      <p>
        Already asked us something? <Link href="/signin">Sign in to follow your requests</Link>.
      </p>
    </>
  );
}
