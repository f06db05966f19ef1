using System;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http;
using System.Net.Http.Headers;

namespace ExoAdmin.Engine.Http;

/// <summary>
/// The per-connection headers of each kind of request (§3.1, §3.2, §3.4, §5.1, §6.1, §10), computed once at connect and
/// applied by <see cref="Apply"/> to every request; only client-request-id and Authorization change between attempts.
/// </summary>
internal sealed class ConnectionHeaders
{
    /// <summary>The protocol version these requests follow; the service keys behaviour on it.</summary>
    public const string ProtocolModuleVersion = "3.9.0";

    private static readonly string ProcessId = GetProcessId();

    /// <param name="contextAnchor">X-AnchorMailbox of the module file and InvokeCommand (§6.2's ConnectionContext hint: APP: for app-only); null sends none (-BypassMailboxAnchoring).</param>
    /// <param name="odataAnchor">X-AnchorMailbox of Get-EXO* requests that name no mailbox (§6.2's AppSettings hint, always UPN:); null sends none.</param>
    public ConnectionHeaders(string connectionId, string? contextAnchor, string? odataAnchor, string powerShellVersion, string moduleVersion)
    {
        ConnectionId = connectionId;
        ContextAnchor = contextAnchor;
        ODataAnchor = odataAnchor;
        PowerShellVersion = powerShellVersion;
        UserAgent = $"ExoAdmin/{moduleVersion}";
    }

    /// <summary>One anchor for every kind (tests, and connections whose two hints agree).</summary>
    public ConnectionHeaders(string connectionId, string? anchor, string powerShellVersion, string moduleVersion)
        : this(connectionId, anchor, anchor, powerShellVersion, moduleVersion)
    {
    }

    public string ConnectionId { get; }

    public string? ContextAnchor { get; }

    public string? ODataAnchor { get; }

    public string PowerShellVersion { get; }

    public string UserAgent { get; }

    /// <summary>
    /// The module file's Disable-WAM (§3.2). ExoAdmin never signs in through Web Account Manager (it uses the system
    /// browser, device code or app-only sign-in), so it says so: True, whatever -DisableWAM was given.
    /// </summary>
    public bool DisableWam { get; set; } = true;

    /// <summary>Sets every header of the request's kind except Authorization (the token handler's) and client-request-id.</summary>
    public void Apply(HttpRequestMessage request, RestCall call)
    {
        var headers = request.Headers;
        switch (call.Kind)
        {
            case RequestKind.AuthorizationOnly:
                return;
            case RequestKind.ModuleFile:
                ApplyModuleFile(headers, call);
                break;
            case RequestKind.InvokeCommand:
                ApplyInvokeCommand(headers, call);
                break;
            default:
                ApplyOData(headers, call);
                break;
        }

        if (call.ExtraHeaders is not null)
        {
            foreach (var header in call.ExtraHeaders)
            {
                headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }
    }

    /// <summary>
    /// client-request-id for an attempt (§5.1, §9.1): Get-EXO* retries carry the failed response's request-id (empty when
    /// it had none); InvokeCommand keeps the cmdlet's id across retries and pages; the banner and ping send none.
    /// </summary>
    public static void SetClientRequestId(HttpRequestMessage request, RestCall call, int retry, string? failedRequestId)
    {
        if (call.Kind == RequestKind.AuthorizationOnly)
        {
            return;
        }

        request.Headers.Remove("client-request-id");
        var id = call.Kind == RequestKind.OData && retry > 0 ? failedRequestId ?? string.Empty : call.CmdletRequestId;
        request.Headers.TryAddWithoutValidation("client-request-id", id);
    }

    private void ApplyOData(HttpRequestHeaders headers, RestCall call)
    {
        headers.TryAddWithoutValidation("Accept", "application/json;odata.metadata=minimal");
        headers.TryAddWithoutValidation("Accept-Charset", "UTF-8");
        headers.TryAddWithoutValidation("User-Agent", UserAgent);
        AddAnchor(headers, call.Anchor ?? ODataAnchor);
        headers.TryAddWithoutValidation("connection-id", ConnectionId);
        headers.TryAddWithoutValidation("client-process-id", ProcessId);
        headers.TryAddWithoutValidation("ps-version", PowerShellVersion);
        headers.TryAddWithoutValidation("is-cloud-shell", "False");
        headers.TryAddWithoutValidation("os-version", Environment.OSVersion.VersionString);
        headers.TryAddWithoutValidation("exomodule-version", ProtocolModuleVersion);
        if (call.MaxPageSize is int pageSize)
        {
            headers.TryAddWithoutValidation("Prefer", $"odata.maxpagesize={pageSize};");
        }

        if (call.IsFirstPage)
        {
            headers.TryAddWithoutValidation("OData-Version", "4.0");
            headers.TryAddWithoutValidation("OData-MaxVersion", "4.0");
        }
    }

    /// <summary>InvokeCommand's own header set (§5.1), answered in JSON rather than CLIXML (§17).</summary>
    private void ApplyInvokeCommand(HttpRequestHeaders headers, RestCall call)
    {
        headers.TryAddWithoutValidation("Accept", "application/json");
        headers.TryAddWithoutValidation("Accept-Charset", "UTF-8");
        headers.TryAddWithoutValidation("User-Agent", UserAgent);
        AddAnchor(headers, call.Anchor ?? ContextAnchor);
        headers.TryAddWithoutValidation("X-CmdletName", call.CmdletName);
        headers.TryAddWithoutValidation("X-ResponseFormat", "json");
        headers.TryAddWithoutValidation("X-SerializationLevel", "Partial");
        headers.TryAddWithoutValidation("X-ClientApplication", "ExoManagementModule");
        headers.TryAddWithoutValidation("X-ClientModuleVersion", ProtocolModuleVersion);
        headers.TryAddWithoutValidation("connection-id", ConnectionId);
        headers.TryAddWithoutValidation("WarningAction", call.WarningAction ?? string.Empty);
        AddAcceptLanguage(headers);
        if (call.MaxPageSize is int pageSize)
        {
            headers.TryAddWithoutValidation("Prefer", $"odata.maxpagesize={pageSize}");
        }
    }

    /// <summary>EXOModuleFile's header set (§3.2); CommandName and the like come with the call.</summary>
    private void ApplyModuleFile(HttpRequestHeaders headers, RestCall call)
    {
        AddAnchor(headers, call.Anchor ?? ContextAnchor);
        headers.TryAddWithoutValidation("client-process-id", ProcessId);
        headers.TryAddWithoutValidation("connection-id", ConnectionId);
        headers.TryAddWithoutValidation("ps-version", PowerShellVersion);
        headers.TryAddWithoutValidation("exomodule-version", ProtocolModuleVersion);
        headers.TryAddWithoutValidation("is-cloud-shell-environment", "False");
        headers.TryAddWithoutValidation("os-version", Environment.OSVersion.VersionString);
        headers.TryAddWithoutValidation("x-ms-diagnostics", "ClientCertSigned:false");
        headers.TryAddWithoutValidation("Disable-WAM", DisableWam ? "True" : "False");
        headers.TryAddWithoutValidation("X-InitializeConnectionContextObjectIdDynamic", "true");
        AddAcceptLanguage(headers);
    }

    private static void AddAnchor(HttpRequestHeaders headers, string? anchor)
    {
        if (anchor is not null)
        {
            headers.TryAddWithoutValidation("X-AnchorMailbox", anchor);
        }
    }

    /// <summary>
    /// The UI culture of the session the request comes from (it flows with the cmdlet's work); the invariant culture has
    /// no name, and then, as the original, no header is sent.
    /// </summary>
    private static void AddAcceptLanguage(HttpRequestHeaders headers)
    {
        var culture = CultureInfo.CurrentUICulture.Name;
        if (culture.Length > 0)
        {
            headers.TryAddWithoutValidation("Accept-Language", culture);
        }
    }

    private static string GetProcessId()
    {
        using var process = Process.GetCurrentProcess();
        return process.Id.ToString(CultureInfo.InvariantCulture);
    }
}
