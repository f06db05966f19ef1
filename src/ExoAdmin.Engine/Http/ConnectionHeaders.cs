using System;
using System.Diagnostics;
using System.Net.Http;
using System.Net.Http.Headers;

namespace ExoAdmin.Engine.Http;

/// <summary>
/// The per-connection headers of the Get-EXO* protocol (notes §6.1, §10), computed once at connect.
/// </summary>
internal sealed class ConnectionHeaders
{
    /// <summary>The protocol version these requests follow; the service keys behaviour on it.</summary>
    public const string ProtocolModuleVersion = "3.9.0";

    public ConnectionHeaders(string connectionId, string? defaultAnchor, string powerShellVersion, string moduleVersion)
    {
        ConnectionId = connectionId;
        DefaultAnchor = defaultAnchor;
        PowerShellVersion = powerShellVersion;
        UserAgent = $"ExoAdmin/{moduleVersion}";
    }

    public string ConnectionId { get; }

    /// <summary>X-AnchorMailbox when a request names no mailbox of its own; null sends none (-BypassMailboxAnchoring).</summary>
    public string? DefaultAnchor { get; }

    public string PowerShellVersion { get; }

    public string UserAgent { get; }

    private static readonly string ProcessId = GetProcessId();

    public void Apply(HttpRequestMessage request, RestCall call, string clientRequestId)
    {
        var headers = request.Headers;
        if (call.CmdletName is not null)
        {
            ApplyInvokeCommand(headers, call, clientRequestId);
            return;
        }

        headers.TryAddWithoutValidation("Accept", "application/json;odata.metadata=minimal");
        headers.TryAddWithoutValidation("Accept-Charset", "UTF-8");
        headers.TryAddWithoutValidation("User-Agent", UserAgent);
        AddAnchor(headers, call);
        headers.TryAddWithoutValidation("client-request-id", clientRequestId);
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

        if (call.ExtraHeaders is not null)
        {
            foreach (var header in call.ExtraHeaders)
            {
                headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        if (call.IsFirstPage)
        {
            headers.TryAddWithoutValidation("OData-Version", "4.0");
            headers.TryAddWithoutValidation("OData-MaxVersion", "4.0");
        }
    }

    /// <summary>InvokeCommand's own header set (§5.1), answered in JSON rather than CLIXML (§17).</summary>
    private void ApplyInvokeCommand(HttpRequestHeaders headers, RestCall call, string clientRequestId)
    {
        headers.TryAddWithoutValidation("Accept", "application/json");
        headers.TryAddWithoutValidation("Accept-Charset", "UTF-8");
        headers.TryAddWithoutValidation("User-Agent", UserAgent);
        AddAnchor(headers, call);
        headers.TryAddWithoutValidation("X-CmdletName", call.CmdletName);
        headers.TryAddWithoutValidation("X-ResponseFormat", "json");
        headers.TryAddWithoutValidation("X-SerializationLevel", "Partial");
        headers.TryAddWithoutValidation("X-ClientApplication", "ExoManagementModule");
        headers.TryAddWithoutValidation("X-ClientModuleVersion", ProtocolModuleVersion);
        headers.TryAddWithoutValidation("client-request-id", clientRequestId);
        headers.TryAddWithoutValidation("connection-id", ConnectionId);
        if (call.MaxPageSize is int pageSize)
        {
            headers.TryAddWithoutValidation("Prefer", $"odata.maxpagesize={pageSize}");
        }
    }

    private void AddAnchor(HttpRequestHeaders headers, RestCall call)
    {
        if ((call.Anchor ?? DefaultAnchor) is { } anchor)
        {
            headers.TryAddWithoutValidation("X-AnchorMailbox", anchor);
        }
    }

    private static string GetProcessId()
    {
        using var process = Process.GetCurrentProcess();
        return process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
