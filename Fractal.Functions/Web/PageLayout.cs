namespace Fractal.Functions.Web;

/// <summary>
/// The one small layout every page shares: no external assets (inline CSS under a per-response nonce),
/// readable on a phone.
/// </summary>
public static class PageLayout
{
    private const string Styles = """
        :root{color-scheme:light dark;--fg:#1b1f24;--muted:#57606a;--bg:#f6f8fa;--card:#fff;--accent:#0b5cad;--danger:#b42318;--border:#d0d7de}
        @media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#9198a1;--bg:#0d1117;--card:#161b22;--accent:#4493f8;--danger:#f85149;--border:#30363d}}
        *{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
        main{max-width:30rem;margin:2rem auto;padding:1.5rem;background:var(--card);border:1px solid var(--border);border-radius:12px}
        main.wide{max-width:72rem}
        h1{font-size:1.4rem;margin:0 0 1rem}.brand{font-weight:600;color:var(--accent);margin-bottom:.5rem}
        label{display:block;margin:.75rem 0 .25rem;font-weight:600}
        input[type=email],input[type=password],input[type=text],input[type=url],select,textarea{width:100%;padding:.6rem;font:inherit;border:1px solid var(--border);border-radius:8px;background:var(--card);color:var(--fg)}
        .check{display:flex;gap:.5rem;align-items:flex-start;font-weight:400}
        button{font:inherit;padding:.6rem 1.2rem;border-radius:8px;border:1px solid var(--accent);background:var(--accent);color:#fff;cursor:pointer}
        button.secondary{background:transparent;color:var(--accent)}button.danger{border-color:var(--danger);background:var(--danger)}
        .actions{display:flex;gap:.75rem;flex-wrap:wrap;margin-top:1.25rem}
        .error{color:var(--danger);font-weight:600}.muted{color:var(--muted);font-size:.9rem}.badge{border:1px solid var(--muted);border-radius:.6rem;padding:0 .4rem;font-size:.8rem;color:var(--muted)}.client-host{font-size:1.15rem}
        ul.scopes{padding-left:1.2rem}a{color:var(--accent)}
        table{width:100%;border-collapse:collapse}th,td{text-align:left;padding:.4rem;border-bottom:1px solid var(--border);vertical-align:top}
        .table-wrap{overflow-x:auto}
        nav.tabs{display:flex;gap:1rem;flex-wrap:wrap;border-bottom:1px solid var(--border);margin-bottom:1rem}
        nav.tabs a{padding:.5rem 0;text-decoration:none}nav.tabs a.active{font-weight:700;border-bottom:3px solid var(--accent)}
        .copyable{display:flex;gap:.5rem;align-items:center;flex-wrap:wrap;margin:.25rem 0}.copyable code{word-break:break-all}
        .field-error{color:var(--danger);font-size:.9rem;margin:.25rem 0 0}.toolbar{display:flex;gap:.75rem;flex-wrap:wrap;align-items:flex-end;justify-content:space-between}
        .inline{display:inline}
        """;

    public static string Render(string lang, string title, string nonce, string body, bool wide = false) => $"""
        <!doctype html>
        <html lang="{Html.E(lang)}">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="no-referrer">
        <title>{Html.E(title)} · Fractal One</title>
        <style nonce="{nonce}">{Styles}</style>
        </head>
        <body>
        <main{(wide ? " class=\"wide\"" : "")}>
        <div class="brand">Fractal One</div>
        {body}
        </main>
        </body>
        </html>
        """;
}
