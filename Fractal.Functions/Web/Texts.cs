using Microsoft.AspNetCore.Http;

namespace Fractal.Functions.Web;

/// <summary>
/// Page texts in English and Spanish. The language is the <c>lang</c> parameter when given (query or form),
/// else the best of Accept-Language, else English.
/// </summary>
public sealed class Texts
{
    public static readonly IReadOnlyList<string> Languages = ["en", "es"];

    private static readonly Dictionary<string, (string En, string Es)> Catalogue = new(StringComparer.Ordinal)
    {
        ["product"] = ("Fractal One", "Fractal One"),
        ["signin.title"] = ("Sign in", "Iniciar sesión"),
        ["signin.intro"] = ("Sign in with your Fractal One account.", "Inicia sesión con tu cuenta de Fractal One."),
        ["signin.email"] = ("Email", "Correo electrónico"),
        ["signin.password"] = ("Password", "Contraseña"),
        ["signin.submit"] = ("Sign in", "Iniciar sesión"),
        ["signin.invalid"] = ("The email or password is not correct.", "El correo o la contraseña no son correctos."),
        ["signin.throttled"] = ("Too many failed attempts. Try again in {0}.", "Demasiados intentos fallidos. Vuelve a intentarlo en {0}."),
        ["signin.minutes"] = ("{0} minutes", "{0} minutos"),
        ["signin.seconds"] = ("{0} seconds", "{0} segundos"),
        ["signout.title"] = ("Signed out", "Sesión cerrada"),
        ["signout.done"] = ("You have signed out.", "Has cerrado la sesión."),
        ["signout.submit"] = ("Sign out", "Cerrar sesión"),
        ["signout.again"] = ("Sign in again", "Iniciar sesión de nuevo"),
        ["consent.title"] = ("Allow access?", "¿Permitir el acceso?"),
        ["consent.wants"] = ("{0} wants to access your Fractal One account.", "{0} quiere acceder a tu cuenta de Fractal One."),
        ["consent.redirect"] = ("You will be sent back to {0}.", "Volverás a {0}."),
        ["consent.signedin"] = ("Signed in as {0}.", "Sesión iniciada como {0}."),
        ["consent.it.can"] = ("It will be able to:", "Podrá:"),
        ["consent.scope.read"] = ("Read your work orders, assets, requests, meters, plans, inventory and metrics",
                                  "Leer tus órdenes de trabajo, activos, solicitudes, medidores, planes, inventario y métricas"),
        ["consent.scope.write"] = ("Create and change records (work orders, requests, readings) on your behalf",
                                   "Crear y modificar registros (órdenes de trabajo, solicitudes, lecturas) en tu nombre"),
        ["consent.scope.offline"] = ("Stay connected until you revoke access", "Mantenerse conectado hasta que revoques el acceso"),
        ["consent.scope.api"] = ("Manage API connections (OAuth consumers and app authorizations)",
                                 "Administrar las conexiones API (consumidores OAuth y autorizaciones)"),
        ["consent.own.permissions"] = ("It acts with your own permissions, never more.", "Actúa con tus propios permisos, nunca más."),
        ["consent.allow.write"] = ("Allow creating and changing records", "Permitir crear y modificar registros"),
        ["consent.privacy"] = ("Privacy policy", "Política de privacidad"),
        ["consent.eula"] = ("Terms of use", "Términos de uso"),
        ["consent.approve"] = ("Allow", "Permitir"),
        ["consent.deny"] = ("Deny", "Denegar"),
        ["consent.otheraccount"] = ("Use another account", "Usar otra cuenta"),
        ["error.title"] = ("Something is not right", "Algo no está bien"),
        ["error.client"] = ("This application is not registered with Fractal One. Ask your administrator to check its Client ID.",
                            "Esta aplicación no está registrada en Fractal One. Pide a tu administrador que revise su Client ID."),
        ["error.redirect"] = ("This application asked to return to an address that is not registered for it, so it was stopped for your safety.",
                              "Esta aplicación pidió volver a una dirección que no tiene registrada, así que se detuvo por tu seguridad."),
        ["error.tenant"] = ("This application belongs to another Fractal One account. Sign in with a user of that account.",
                            "Esta aplicación pertenece a otra cuenta de Fractal One. Inicia sesión con un usuario de esa cuenta."),
        ["error.csrf"] = ("This form has expired. Go back, reload the page and try again.",
                          "Este formulario expiró. Vuelve atrás, recarga la página e inténtalo de nuevo."),
        ["error.back"] = ("Return to the application", "Volver a la aplicación"),
        ["error.request"] = ("The request is not valid: {0}", "La solicitud no es válida: {0}"),
    };

    public string Language { get; }

    private Texts(string language) => Language = language;

    public string this[string key] => Language == "es" ? Catalogue[key].Es : Catalogue[key].En;

    public string Format(string key, params object[] args) => string.Format(System.Globalization.CultureInfo.InvariantCulture, this[key], args);

    public static Texts For(string language) => new(Languages.Contains(language) ? language : "en");

    public static Texts For(HttpRequest request, string? explicitLanguage = null)
    {
        var lang = explicitLanguage ?? request.Query["lang"].ToString();
        if (Languages.Contains(lang)) return new Texts(lang);
        var accept = request.GetTypedHeaders().AcceptLanguage;
        var best = accept
            .OrderByDescending(a => a.Quality ?? 1)
            .Select(a => a.Value.Value?.Split('-')[0].ToLowerInvariant())
            .FirstOrDefault(l => l is not null && Languages.Contains(l));
        return new Texts(best ?? "en");
    }
}
