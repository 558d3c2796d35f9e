import type { PreferenceView } from "@/lib/choices/preference-centre";

/**
 * The preference page's form: "none of these" first, then every list with
 * its description, ticked where the address is on it. A plain form posted
 * to /preferences/save, so it works without JavaScript; the lists it showed
 * go with it, so a list added meanwhile is left as it was.
 */
export function ChoicesForm({ view, token }: { view: PreferenceView; token: string | null }) {
  return (
    <form method="post" action="/preferences/save" className="stacked">
      {token !== null ? <input type="hidden" name="token" value={token} /> : null}
      <fieldset aria-describedby="choices-hint">
        <legend>{view.question}</legend>
        <p className="hint" id="choices-hint">
          Tick the lists you want and untick the others. Saving takes effect at once; you can come back and change your mind
          at any time.
        </p>
        <label className="choice">
          <input type="checkbox" name="none" value="1" defaultChecked={view.noneOn} />
          <span>
            <strong>{view.noneLabel}</strong>
            <br />
            <span className="hint">Ticked, this takes you off every list below, whatever else is ticked.</span>
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
      {view.lists.length === 0 ? <p className="muted">We have no mailing lists at the moment.</p> : null}
      <p>
        <button className="primary" type="submit">
          Save my choices
        </button>
      </p>
    </form>
  );
}
