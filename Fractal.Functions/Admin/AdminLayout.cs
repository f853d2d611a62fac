using Fractal.Functions.Web;

namespace Fractal.Functions.Admin;

/// <summary>The Settings › API Connections frame: tabs, and a small script (under the page nonce) for copy buttons.</summary>
public static class AdminLayout
{
    public enum Tab { Connection, Consumers, Authorizations, Log }

    private const string Script = """
        document.querySelectorAll('button[data-copy]').forEach(function (b) {
          b.addEventListener('click', function () {
            var target = document.getElementById(b.getAttribute('data-copy'));
            navigator.clipboard.writeText(target.textContent.trim()).then(function () { b.textContent = b.getAttribute('data-done'); });
          });
        });
        document.querySelectorAll('form[data-confirm]').forEach(function (f) {
          f.addEventListener('submit', function (e) { if (!window.confirm(f.getAttribute('data-confirm'))) e.preventDefault(); });
        });
        """;

    public static string Render(Texts t, string nonce, Tab active, string body, string email) =>
        PageLayout.Render(t.Language, t["admin.apiconnections"], nonce, $"""
            <p class="muted">{Html.E(t["admin.settings"])} › {Html.E(t["admin.apiconnections"])} · {Html.E(email)}</p>
            <nav class="tabs" aria-label="{Html.E(t["admin.apiconnections"])}">
            {TabLink(t, "/settings/api-connections", "admin.tab.connection", active == Tab.Connection, "tab-connection")}
            {TabLink(t, "/settings/api-connections/consumers", "admin.tab.consumers", active == Tab.Consumers, "tab-consumers")}
            {TabLink(t, "/settings/api-connections/app-authorizations", "admin.tab.authorizations", active == Tab.Authorizations, "tab-authorizations")}
            {TabLink(t, "/settings/api-connections/transactions-log", "admin.tab.log", active == Tab.Log, "tab-log")}
            </nav>
            {body}
            <script nonce="{nonce}">{Script}</script>
            """, wide: true);

    /// <summary>A value with a copy button.</summary>
    public static string Copyable(Texts t, string id, string value) =>
        $"<div class=\"copyable\"><code id=\"{Html.E(id)}\">{Html.E(value)}</code> <button type=\"button\" class=\"secondary\" data-copy=\"{Html.E(id)}\" data-done=\"{Html.E(t["admin.copied"])}\">{Html.E(t["admin.copy"])}</button></div>";

    private static string TabLink(Texts t, string href, string key, bool active, string id) =>
        $"<a id=\"{id}\" href=\"{href}?lang={t.Language}\"{(active ? " aria-current=\"page\" class=\"active\"" : "")}>{Html.E(t[key])}</a>";
}
