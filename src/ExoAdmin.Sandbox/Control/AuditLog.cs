using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ExoAdmin.Sandbox.Data;
using Microsoft.AspNetCore.Http;

namespace ExoAdmin.Sandbox.Control;

/// <summary>One change the sandbox applied.</summary>
/// <param name="Parameters">The parameters as the client sent them, as a JSON object, with secret values redacted.</param>
internal sealed record AuditEntry(
    long Sequence, DateTimeOffset Time, SandboxTenant Tenant, string Cmdlet, string? Identity, string Parameters, string? RequestId, string? ClientRequestId)
{
    public void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteNumber("sequence", Sequence);
        writer.WriteString("time", Time);
        writer.WriteString("tenant", Tenant.Domain);
        writer.WriteString("cmdlet", Cmdlet);
        writer.WriteString("identity", Identity);
        writer.WritePropertyName("parameters");
        writer.WriteRawValue(Parameters, skipInputValidation: true);
        writer.WriteString("requestId", RequestId);
        writer.WriteString("clientRequestId", ClientRequestId);
        writer.WriteEndObject();
    }
}

/// <summary>
/// The record of every change the sandbox applied (an InvokeCommand cmdlet other than Get-* that ran to the end
/// without an error), so tests can prove a change was applied exactly once. A change refused before it is applied
/// (throttled, a fault in phase before, a role that does not allow it, a parameter or identity error) is not in it;
/// one applied and then answered with a fault (phase after) is. Appending is lock-free.
/// </summary>
internal sealed partial class AuditLog : IResettable
{
    public const string Redacted = "<redacted>";

    private readonly ConcurrentQueue<AuditEntry> _entries = new();
    private long _sequence;

    /// <summary>Appends the change; <paramref name="parameters"/> is the Parameters object of the InvokeCommand body.</summary>
    /// <param name="secretParameters">Parameters whose values are secret by type (SecureString, PSCredential), whatever their name.</param>
    public AuditEntry Record(HttpContext http, SandboxTenant tenant, string cmdlet, JsonElement? parameters, IReadOnlyCollection<string>? secretParameters = null)
    {
        var entry = new AuditEntry(
            Interlocked.Increment(ref _sequence),
            DateTimeOffset.UtcNow,
            tenant,
            cmdlet,
            Identity(parameters),
            SafeParameters(parameters, secretParameters ?? []),
            http.Response.Headers["request-id"].ToString() is { Length: > 0 } requestId ? requestId : null,
            http.Request.Headers["client-request-id"].ToString() is { Length: > 0 } clientRequestId ? clientRequestId : null);
        _entries.Enqueue(entry);
        return entry;
    }

    /// <summary>The entries in the order they were applied, optionally of one tenant (domain or id) and one cmdlet.</summary>
    public IReadOnlyList<AuditEntry> Entries(SandboxTenant? tenant = null, string? cmdlet = null) =>
        _entries
            .Where(e => (tenant is null || e.Tenant.TenantId == tenant.TenantId) && (cmdlet is null || e.Cmdlet.Equals(cmdlet, StringComparison.OrdinalIgnoreCase)))
            .OrderBy(e => e.Sequence)
            .ToArray();

    /// <summary>Empties the log; sequence numbers keep counting, so an entry is never confused with an earlier one.</summary>
    public void Clear() => _entries.Clear();

    /// <summary>The sandbox reset empties the log (<see cref="Clear"/>).</summary>
    void IResettable.Reset() => Clear();

    /// <summary>Whether a parameter's value is a secret that must never be kept: passwords, credentials, keys, tokens.</summary>
    public static bool IsSecret(string parameter) => SecretName().IsMatch(parameter);

    private static string? Identity(JsonElement? parameters)
    {
        if (parameters is not { ValueKind: JsonValueKind.Object } obj)
        {
            return null;
        }

        var identity = obj.EnumerateObject().FirstOrDefault(p => p.Name.Equals("Identity", StringComparison.OrdinalIgnoreCase));
        return identity.Value.ValueKind switch
        {
            JsonValueKind.String => identity.Value.GetString(),
            JsonValueKind.Undefined or JsonValueKind.Null => null,
            _ => identity.Value.GetRawText(),
        };
    }

    /// <summary>The parameters without annotations, each secret one's value replaced by <see cref="Redacted"/>.</summary>
    private static string SafeParameters(JsonElement? parameters, IReadOnlyCollection<string> secretParameters)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            if (parameters is { ValueKind: JsonValueKind.Object } obj)
            {
                foreach (var parameter in obj.EnumerateObject().Where(p => !p.Name.Contains('@')))
                {
                    writer.WritePropertyName(parameter.Name);
                    if (IsSecret(parameter.Name) || secretParameters.Contains(parameter.Name, StringComparer.OrdinalIgnoreCase))
                    {
                        writer.WriteStringValue(Redacted);
                    }
                    else
                    {
                        parameter.Value.WriteTo(writer);
                    }
                }
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [GeneratedRegex("password|passwd|secret|credential|token|privatekey|certificatedata|^key$|sharedkey|passphrase", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretName();
}
