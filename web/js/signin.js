// The sign-in form. It lands where the person was going (a link from an e-mail, a push or
// another tab), not on the role's home, and offers to keep the session on this device.
import { html, useState } from "./lib.js";
import { t } from "./i18n.js";
import { HOME, signIn } from "./session.js";

/**
 * The form; after signing in, `back` (a hash route) if given, else the role's home.
 * @param {{back?: string}} props
 */
export function Login({ back = "" }) {
  const [error, setError] = useState("");
  const submit = async (/** @type {any} */ ev) => {
    ev.preventDefault();
    const f = ev.currentTarget;
    setError("");
    try {
      const account = await signIn(f.email.value, f.password.value, f.remember.checked);
      const target = back && !back.startsWith("#/login") ? back : HOME[account.role] || "#/";
      // Already there (a link opened before signing in): the page remounts for the new
      // account by itself (the shell keys pages by who is signed in).
      if (location.hash !== target) location.hash = target;
    } catch (e) {
      setError(e instanceof Error && /** @type {any} */ (e).code === "UNAUTHENTICATED" ? t("wrong_password") : e instanceof Error ? e.message : String(e));
    }
  };
  return html`<h1>${t("signin")}</h1>
    <form id="login" class="narrow" onSubmit=${submit}>
      <label for="email">${t("email")}</label><input id="email" name="email" type="email" autocomplete="username" required />
      <label for="password">${t("password")}</label><input id="password" name="password" type="password" autocomplete="current-password" required />
      <label class="check"><input type="checkbox" id="remember" name="remember" /> ${t("remember_me")}</label>
      <p><button type="submit">${t("signin")}</button></p>
      <p id="login-error" class="error" role="alert">${error}</p>
    </form>`;
}

/** What a page shows someone not signed in who followed a link to something for the press. */
export function SignInToSee() {
  return html`<p class="notice" id="sign-in-to-see">${t("sign_in_to_see")}</p>
    <${Login} back=${location.hash || (location.pathname.startsWith("/releases/") ? `#/releases/${location.pathname.split("/")[2]}` : "")} />`;
}
