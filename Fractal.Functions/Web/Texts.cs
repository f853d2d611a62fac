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
        ["error.notfound"] = ("This record does not exist or was deleted.", "Este registro no existe o fue eliminado."),
        ["admin.forbidden"] = ("You do not have permission to see this page. Ask an administrator of your account.",
                               "No tienes permiso para ver esta página. Pídeselo a un administrador de tu cuenta."),
        ["admin.settings"] = ("Settings", "Configuración"),
        ["admin.apiconnections"] = ("API Connections", "Conexiones API"),
        ["admin.tab.connection"] = ("API Connection", "Conexión API"),
        ["admin.tab.consumers"] = ("OAuth consumers", "Consumidores OAuth"),
        ["admin.tab.authorizations"] = ("App authorizations", "Autorizaciones de aplicaciones"),
        ["admin.tab.log"] = ("Transactions log", "Registro de transacciones"),
        ["admin.copy"] = ("Copy", "Copiar"),
        ["admin.copied"] = ("Copied", "Copiado"),
        ["connection.intro"] = ("Paste these values into ChatGPT or Claude to connect them to Fractal One. Each person signs in with their own account and acts with their own permissions.",
                                "Pega estos valores en ChatGPT o Claude para conectarlos con Fractal One. Cada persona inicia sesión con su cuenta y actúa con sus propios permisos."),
        ["connection.mcp"] = ("MCP server URL", "URL del servidor MCP"),
        ["connection.authorize"] = ("Authorization URL", "URL de autorización"),
        ["connection.token"] = ("Token URL", "URL de token"),
        ["connection.callback.chatgpt"] = ("Callback URL for ChatGPT", "URL de callback para ChatGPT"),
        ["connection.callback.claude"] = ("Callback URLs for Claude", "URLs de callback para Claude"),
        ["connection.steps"] = ("Steps", "Pasos"),
        ["connection.step1"] = ("In OAuth consumers, create a consumer with the callback URL of your client; copy its Key and Secret.",
                                "En Consumidores OAuth, crea un consumidor con la URL de callback de tu cliente; copia su Key y su Secret."),
        ["connection.step2"] = ("In ChatGPT (Settings › Apps & Connectors, Developer Mode) or Claude (Settings › Connectors), add a connector with the MCP server URL.",
                                "En ChatGPT (Configuración › Apps y conectores, Developer Mode) o Claude (Configuración › Conectores), agrega un conector con la URL del servidor MCP."),
        ["connection.step3"] = ("Choose OAuth, paste the Key as Client ID and the Secret as Client Secret.",
                                "Elige OAuth, pega la Key como Client ID y el Secret como Client Secret."),
        ["connection.step4"] = ("Connect: sign in with your Fractal One account and allow access.",
                                "Conecta: inicia sesión con tu cuenta de Fractal One y permite el acceso."),
        ["consumers.search"] = ("Search by name", "Buscar por nombre"),
        ["consumers.search.button"] = ("Search", "Buscar"),
        ["consumers.new"] = ("New consumer", "Nuevo consumidor"),
        ["consumers.name"] = ("Name", "Nombre"),
        ["consumers.key"] = ("Key", "Key"),
        ["consumers.secret"] = ("Secret", "Secret"),
        ["consumers.type"] = ("Client type", "Tipo de cliente"),
        ["consumers.created"] = ("Created", "Creado"),
        ["consumers.empty"] = ("No data to show with these parameters", "No hay datos para mostrar con estos parámetros"),
        ["consumers.showing"] = ("Showing {0} of {1}", "Mostrando {0} de {1}"),
        ["consumers.next"] = ("Next page", "Página siguiente"),
        ["consumers.delete.selected"] = ("Delete selected", "Eliminar seleccionados"),
        ["consumers.type.confidential"] = ("Confidential", "Confidencial"),
        ["consumers.type.public"] = ("Public", "Público"),
        ["consumer.created.title"] = ("Consumer created", "Consumidor creado"),
        ["consumer.created.once"] = ("Copy the secret now: it is shown only this once (an administrator can reveal it later, and that is recorded).",
                                     "Copia el secret ahora: solo se muestra esta vez (un administrador puede revelarlo después y queda registrado)."),
        ["consumer.secret.title"] = ("Consumer secret", "Secret del consumidor"),
        ["consumer.rotated"] = ("The secret was replaced. The previous secret no longer works.", "El secret fue reemplazado. El anterior ya no funciona."),
        ["consumer.edit.title"] = ("Edit consumer", "Editar consumidor"),
        ["consumer.new.title"] = ("New OAuth consumer", "Nuevo consumidor OAuth"),
        ["consumer.save"] = ("Save", "Guardar"),
        ["consumer.rotate"] = ("Rotate secret", "Rotar secret"),
        ["consumer.reveal"] = ("Reveal secret", "Revelar secret"),
        ["consumer.delete"] = ("Delete consumer", "Eliminar consumidor"),
        ["consumer.back"] = ("Back to OAuth consumers", "Volver a Consumidores OAuth"),
        ["form.grant_type"] = ("Grant type", "Tipo de concesión"),
        ["form.grant_type.code"] = ("Authorization code", "Código de autorización"),
        ["form.client_type"] = ("Client type", "Tipo de cliente"),
        ["form.client_type.help"] = ("Confidential for servers that keep a secret (ChatGPT, Claude); public for apps that cannot.",
                                     "Confidencial para servidores que guardan un secret (ChatGPT, Claude); público para apps que no pueden."),
        ["form.name"] = ("Name", "Nombre"),
        ["form.description"] = ("Description", "Descripción"),
        ["form.callback_urls"] = ("Callback URLs (one per line)", "URLs de callback (una por línea)"),
        ["form.url"] = ("URL", "URL"),
        ["form.privacy_policy_url"] = ("Privacy policy URL", "URL de la política de privacidad"),
        ["form.eula_url"] = ("EULA URL", "URL del EULA"),
        ["form.permission_group"] = ("Permission group", "Grupo de permisos"),
        ["form.permission_group.help"] = ("The signed-in user's own permissions are what apply; this group never widens them.",
                                          "Se aplican los permisos del usuario autenticado; este grupo nunca los amplía."),
        ["form.name.required"] = ("Enter a name.", "Ingresa un nombre."),
        ["form.name.long"] = ("Use at most 100 characters.", "Usa como máximo 100 caracteres."),
        ["form.description.long"] = ("Use at most 1000 characters.", "Usa como máximo 1000 caracteres."),
        ["form.client_type.invalid"] = ("Choose confidential or public.", "Elige confidencial o público."),
        ["form.callbacks.required"] = ("Enter at least one callback URL.", "Ingresa al menos una URL de callback."),
        ["form.callbacks.many"] = ("Enter at most 10 callback URLs.", "Ingresa como máximo 10 URLs de callback."),
        ["form.callbacks.invalid"] = ("Each callback URL must be an absolute https URL (http only on 127.0.0.1 or localhost) without a fragment.",
                                      "Cada URL de callback debe ser una URL https absoluta (http solo en 127.0.0.1 o localhost) sin fragmento."),
        ["form.callbacks.duplicate"] = ("A callback URL is repeated.", "Hay una URL de callback repetida."),
        ["form.https.invalid"] = ("Enter an absolute https URL, or leave it empty.", "Ingresa una URL https absoluta, o déjala vacía."),
        ["form.permission_group.invalid"] = ("Choose a permission group.", "Elige un grupo de permisos."),
        ["form.conflict"] = ("Someone else changed this consumer meanwhile. Reload and try again.", "Otra persona modificó este consumidor. Recarga e inténtalo de nuevo."),
        ["authorizations.user"] = ("User", "Usuario"),
        ["authorizations.app"] = ("Application", "Aplicación"),
        ["authorizations.scopes"] = ("Permissions", "Permisos"),
        ["authorizations.connections"] = ("Active connections", "Conexiones activas"),
        ["authorizations.created"] = ("Authorized", "Autorizado"),
        ["authorizations.lastused"] = ("Last used", "Último uso"),
        ["authorizations.revoke"] = ("Revoke", "Revocar"),
        ["authorizations.never"] = ("never", "nunca"),
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
