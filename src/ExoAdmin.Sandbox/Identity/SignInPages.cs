using System.Net;
using ExoAdmin.Sandbox.Data;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ExoAdmin.Sandbox.Identity;

/// <summary>
/// The browser side of delegated sign-in, as real HTML forms a person (or a headless browser) fills in:
///   GET  /{tenant}/oauth2/v2.0/authorize   starts an authorization-code flow and shows the sign-in page
///   GET  /devicelogin                      asks for the code a device showed (device-code flow)
///   POST /devicelogin                      checks it and shows the sign-in page
///   POST /signin                           user name and password, then the second factor when the user needs MFA;
///                                          on success redirects to the client's redirect URI with a code, or
///                                          approves the device code
/// The second factor is the user's current TOTP code; it is also written to the sandbox's log (stderr) when
/// asked for, as a text message would show it.
/// </summary>
internal sealed class SignInPages(TenantStore tenants, UserDirectory directory, SignInStore store, ILogger<SignInPages> log)
{
    /// <summary>The client id of ExchangeOnlineManagement's public client, present in every tenant.</summary>
    public const string ExchangePowerShellClientId = "fb78d390-0c51-40cd-8e17-fdbfab77341b";

    public async Task AuthorizeAsync(HttpContext context)
    {
        var query = context.Request.Query;
        var segment = (string)context.Request.RouteValues["tenant"]!;
        var clientId = query["client_id"].ToString();
        var redirectUri = query["redirect_uri"].ToString();
        if (!IsMultiTenant(segment) && tenants.Find(segment) is null)
        {
            await ErrorPageAsync(context, AadErrors.UnknownTenant(segment));
            return;
        }

        if (!IsKnownPublicClient(clientId))
        {
            await ErrorPageAsync(context, AadErrors.UnknownApplication(clientId, segment));
            return;
        }

        if (!IsAllowedRedirect(redirectUri))
        {
            await ErrorPageAsync(context, AadErrors.RedirectUriMismatch(redirectUri, clientId));
            return;
        }

        if (query["response_type"] != "code")
        {
            await ErrorPageAsync(context, AadErrors.UnsupportedResponseType(query["response_type"].ToString()));
            return;
        }

        var flow = store.AddFlow(new SignInFlow
        {
            Id = SignInStore.NewSecret(),
            ResourceSegment = segment,
            ClientId = clientId,
            Scope = query["scope"].ToString(),
            RedirectUri = redirectUri,
            State = query["state"].ToString(),
            CodeChallenge = NullIfEmpty(query["code_challenge"].ToString()),
            CodeChallengeMethod = NullIfEmpty(query["code_challenge_method"].ToString()),
            Nonce = NullIfEmpty(query["nonce"].ToString()),
            LoginHint = NullIfEmpty(query["login_hint"].ToString()),
            ResponseMode = query["response_mode"] == "form_post" ? "form_post" : "query",
        });
        await PasswordPageAsync(context, flow, error: null);
    }

    public Task DeviceLoginPageAsync(HttpContext context) => DeviceCodePageAsync(context, error: null);

    public async Task DeviceLoginAsync(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var device = store.FindDeviceByUserCode(form["otc"].ToString());
        if (device is null)
        {
            await DeviceCodePageAsync(context, "That code didn't work. Check the code and try again.");
            return;
        }

        var flow = store.AddFlow(new SignInFlow
        {
            Id = SignInStore.NewSecret(),
            ResourceSegment = device.ResourceSegment,
            ClientId = device.ClientId,
            Scope = device.Scope,
            Device = device,
        });
        await PasswordPageAsync(context, flow, error: null);
    }

    public async Task SignInAsync(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var flow = store.FindFlow(form["flow"].ToString());
        if (flow is null)
        {
            await MessagePageAsync(context, 400, "Sign-in expired", "This sign-in request is no longer valid. Start again from the application.");
            return;
        }

        if (flow.PasswordVerified is { } pending)
        {
            if (!Totp.Verify(pending.MfaSecret!, form["otc"].ToString(), DateTimeOffset.UtcNow))
            {
                await SecondFactorPageAsync(context, flow, pending, "That code is not correct. Enter the current code from your authenticator app.");
                return;
            }

            await CompleteAsync(context, flow, pending);
            return;
        }

        var user = directory.FindUser(form["login"].ToString());
        if (user is null || !CryptographicEquals(user.Password, form["passwd"].ToString()))
        {
            await PasswordPageAsync(context, flow, "Your account or password is incorrect. If you don't remember your password, reset it now.");
            return;
        }

        if (user.RequiresMfa)
        {
            flow.PasswordVerified = user;
            // The "text message": a person reads it from the sandbox's console; tests compute the same code from the secret.
            log.LogWarning("Verification code for {User}: {Code}", user.UserPrincipalName, Totp.Code(user.MfaSecret!, DateTimeOffset.UtcNow));
            await SecondFactorPageAsync(context, flow, user, error: null);
            return;
        }

        await CompleteAsync(context, flow, user);
    }

    private async Task CompleteAsync(HttpContext context, SignInFlow flow, DirectoryUser user)
    {
        store.RemoveFlow(flow);
        var resource = ResourceTenantOf(flow.ResourceSegment, user, out var refusal);
        if (flow.Device is { } device)
        {
            if (resource is null)
            {
                device.DeniedReason = refusal!.Description;
                await ErrorPageAsync(context, refusal);
                return;
            }

            device.Approved = new Grant(user, resource, flow.ClientId, flow.Scope, null);
            await MessagePageAsync(context, 200, "You're signed in",
                $"You have signed in to the Microsoft Exchange REST API Based Powershell application on your device as {user.UserPrincipalName}. You may now close this window.");
            return;
        }

        (string Name, string? Value)[] response = resource is null
            ? [("error", refusal!.Error), ("error_description", $"AADSTS{refusal.Code}: {refusal.Description}"), ("state", flow.State)]
            : [("code", store.IssueCode(new AuthorizationCode(
                    new Grant(user, resource, flow.ClientId, flow.Scope, flow.Nonce), flow.RedirectUri!, flow.CodeChallenge, flow.CodeChallengeMethod, DateTimeOffset.UtcNow.AddMinutes(10)))),
               ("state", flow.State), ("session_state", Guid.NewGuid().ToString())];

        if (flow.ResponseMode == "form_post")
        {
            // The code goes to the redirect URI in a POST body, never in a URL (MSAL's system-browser flow asks for this).
            await FormPostAsync(context, flow.RedirectUri!, response);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status302Found;
        context.Response.Headers.Location = AppendQuery(flow.RedirectUri!, response);
        context.Response.Headers.CacheControl = "no-store";
    }

    private static async Task FormPostAsync(HttpContext context, string redirectUri, (string Name, string? Value)[] fields)
    {
        var nonce = SignInStore.NewSecret(16);
        var inputs = string.Concat(fields.Where(f => f.Value is not null).Select(f => $"<input type=\"hidden\" name=\"{E(f.Name)}\" value=\"{E(f.Value!)}\">"));
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.ContentSecurityPolicy = $"default-src 'none'; script-src 'nonce-{nonce}'; form-action http://localhost:* http://127.0.0.1:* 'self'";
        await context.Response.WriteAsync(
            $"<!DOCTYPE html><html><head><title>Working...</title></head><body><form method=\"post\" action=\"{E(redirectUri)}\">{inputs}<noscript><button type=\"submit\">Continue</button></noscript></form>" +
            $"<script nonce=\"{nonce}\">document.forms[0].submit();</script></body></html>");
    }

    /// <summary>
    /// The tenant a sign-in acts in: the user's own for organizations/common, else the named tenant when it is the
    /// user's or a customer of the user's partner tenant. Null (with the AADSTS error) when the user may not.
    /// </summary>
    public SandboxTenant? ResourceTenantOf(string segment, DirectoryUser user, out AadError? refusal)
    {
        refusal = null;
        if (IsMultiTenant(segment))
        {
            return user.Home;
        }

        var tenant = tenants.Find(segment);
        if (tenant is null)
        {
            refusal = AadErrors.UnknownTenant(segment);
            return null;
        }

        if (directory.MayActIn(user, tenant))
        {
            return tenant;
        }

        refusal = AadErrors.UserNotInTenant(user.UserPrincipalName, user.Home.TenantId, tenant.Tenant.ShortName);
        return null;
    }

    public static bool IsMultiTenant(string segment) =>
        segment.Equals("organizations", StringComparison.OrdinalIgnoreCase) || segment.Equals("common", StringComparison.OrdinalIgnoreCase);

    public bool IsKnownPublicClient(string clientId) =>
        clientId == ExchangePowerShellClientId || (Guid.TryParse(clientId, out var id) && tenants.Tenants.Any(t => t.App.AppId == id));

    /// <summary>Loopback redirects (any port, as RFC 8252 allows for native apps) and the native-client page.</summary>
    public static bool IsAllowedRedirect(string redirectUri) =>
        Uri.TryCreate(redirectUri, UriKind.Absolute, out var uri)
        && ((uri.Scheme == Uri.UriSchemeHttp && (uri.Host == "localhost" || IPAddress.TryParse(uri.Host, out var ip) && IPAddress.IsLoopback(ip)))
            || uri.AbsolutePath.EndsWith("/oauth2/nativeclient", StringComparison.OrdinalIgnoreCase));

    private static bool CryptographicEquals(string expected, string given) =>
        System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.UTF8.GetBytes(expected), System.Text.Encoding.UTF8.GetBytes(given));

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    private static string AppendQuery(string uri, params (string Name, string? Value)[] pairs)
    {
        var query = string.Join("&", pairs.Where(p => p.Value is not null).Select(p => p.Name + "=" + Uri.EscapeDataString(p.Value!)));
        return uri + (uri.Contains('?', StringComparison.Ordinal) ? "&" : "?") + query;
    }

    private static Task PasswordPageAsync(HttpContext context, SignInFlow flow, string? error) =>
        PageAsync(context, 200, "Sign in to your account", $"""
            <form method="post" action="/signin" id="signin">
              <input type="hidden" name="flow" value="{E(flow.Id)}">
              <label for="login">Email, phone, or Skype</label>
              <input type="email" id="login" name="login" value="{E(flow.LoginHint ?? string.Empty)}" autocomplete="username" required>
              <label for="passwd">Password</label>
              <input type="password" id="passwd" name="passwd" autocomplete="current-password" required>
              <button type="submit" id="idSIButton9">Sign in</button>
            </form>
            """, error);

    private static Task SecondFactorPageAsync(HttpContext context, SignInFlow flow, DirectoryUser user, string? error) =>
        PageAsync(context, 200, "Enter code", $"""
            <p>Enter the code displayed in the authenticator app on your mobile device for {E(user.UserPrincipalName)}.</p>
            <form method="post" action="/signin" id="verify">
              <input type="hidden" name="flow" value="{E(flow.Id)}">
              <label for="otc">Code</label>
              <input type="text" id="otc" name="otc" inputmode="numeric" autocomplete="one-time-code" maxlength="6" required>
              <button type="submit" id="idSubmit_SAOTCC_Continue">Verify</button>
            </form>
            """, error);

    private static Task DeviceCodePageAsync(HttpContext context, string? error) =>
        PageAsync(context, error is null ? 200 : 400, "Enter code", """
            <p>Enter the code displayed on your app or device.</p>
            <form method="post" action="/devicelogin" id="device">
              <input type="text" id="otc" name="otc" autocomplete="off" required>
              <button type="submit" id="idSIButton9">Next</button>
            </form>
            """, error);

    private static Task ErrorPageAsync(HttpContext context, AadError error) =>
        MessagePageAsync(context, error.Status, "Sorry, but we're having trouble signing you in.", $"AADSTS{error.Code}: {error.Description}");

    private static Task MessagePageAsync(HttpContext context, int status, string title, string message) =>
        PageAsync(context, status, title, $"<p id=\"message\">{E(message)}</p>", error: null);

    private static async Task PageAsync(HttpContext context, int status, string title, string body, string? error)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.XFrameOptions = "DENY";
        context.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self' http://localhost:* http://127.0.0.1:*";
        var errorHtml = error is null ? string.Empty : $"<p id=\"error\" role=\"alert\">{E(error)}</p>";
        await context.Response.WriteAsync($$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>{{E(title)}}</title>
            <style>body{font-family:sans-serif;max-width:28em;margin:3em auto}label,input,button{display:block;margin:.4em 0}#error{color:#a80000}</style>
            </head><body><h1>{{E(title)}}</h1>{{errorHtml}}{{body}}</body></html>
            """);
    }

    private static string E(string value) => WebUtility.HtmlEncode(value);
}
