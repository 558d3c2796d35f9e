import { getWords } from "@/server/words";
import type { PreferenceView } from "@/lib/choices/preference-centre";

/**
 * The preference page's form: "none of these" first, then every list with
 * its description, ticked where the address is on it. A plain form posted
 * to /preferences/save, so it works without JavaScript; the lists it showed
 * go with it, so a list added meanwhile is left as it was.
 */
export async function ChoicesForm({ view, token }: { view: PreferenceView; token: string | null }) {
  const t = await getWords("choices");
  return (
    <form method="post" action="/preferences/save" className="stacked">
      {token !== null ? <input type="hidden" name="token" value={token} /> : null}
      <fieldset aria-describedby="choices-hint">
        <legend>{view.question}</legend>
        <p className="hint" id="choices-hint">
          {t("hint")}
        </p>
        <label className="choice">
          <input type="checkbox" name="none" value="1" defaultChecked={view.noneOn} />
          <span>
            <strong>{view.noneLabel}</strong>
            <br />
            <span className="hint">{t("noneHint")}</span>
          </span>
        </label>
        {view.lists.map((list) => (
          <div key={list.name}>
            <input type="hidden" name="shown" value={list.name} />
            <label className="choice">
              <input type="checkbox" name="list" value={list.name} defaultChecked={list.on} />
              <span>
                <strong>{list.title}</strong>
                {list.description ? (
                  <>
                    <br />
                    <span className="hint">{list.description}</span>
                  </>
                ) : null}
              </span>
            </label>
          </div>
        ))}
      </fieldset>
      {view.lists.length === 0 ? <p className="muted">{t("noLists")}</p> : null}
      <p>
        <button className="primary" type="submit">
          {t("save")}
        </button>
      </p>
    </form>
  );
}
