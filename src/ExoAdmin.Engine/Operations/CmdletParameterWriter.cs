using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using System.Security;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ExoAdmin.Engine.Errors;
using ExoAdmin.Engine.OData;

namespace ExoAdmin.Engine.Operations;

/// <summary>
/// Writes an InvokeCommand body, {"CmdletInput":{"CmdletName":…,"Parameters":{…}}}, with PowerShell values
/// encoded as §5.2 says: switches as booleans, hashtables as Exchange.GenericHashTable (recursively, arrays of
/// them annotated), byte arrays as Exchange.ByteArrayType, dates as UTC ISO 8601, ResultSize as a number or
/// "Unlimited", SecureStrings RSA-encrypted with the service's key, and other values (enums, TimeSpan…) as their text.
/// $true/$false inside -Filter become 'True'/'False'. A change carries Confirm (false, or true for the §5.2 probe).
/// </summary>
internal static class CmdletParameterWriter
{
    private const string HashTableType = "#Exchange.GenericHashTable";
    private const string ByteArrayType = "#Exchange.ByteArrayType";
    private static readonly Regex FilterBooleans = new(@"\$(true|false)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    public static string Write(string cmdletName, IEnumerable<KeyValuePair<string, object?>> parameters, ParameterEncryptionKey? key = null, bool? confirm = null)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("CmdletInput");
            writer.WriteString("CmdletName", cmdletName);
            writer.WriteStartObject("Parameters");
            foreach (var entry in parameters)
            {
                var name = entry.Key;
                if (confirm is not null && string.Equals(name, "Confirm", StringComparison.OrdinalIgnoreCase))
                {
                    continue; // the request decides Confirm (below)
                }

                var value = Unwrap(entry.Value);
                if (string.Equals(name, "Filter", StringComparison.OrdinalIgnoreCase) && value is string filter)
                {
                    value = FilterBooleans.Replace(filter, m => string.Equals(m.Groups[1].Value, "true", StringComparison.OrdinalIgnoreCase) ? "'True'" : "'False'");
                }

                if (value is IEnumerable sequence and not string and not byte[] and not IDictionary && CollectionAnnotation(sequence) is { } annotation)
                {
                    writer.WriteString(name + "@odata.type", annotation);
                }

                writer.WritePropertyName(name);
                WriteValue(writer, value, name, key);
            }

            if (confirm is { } confirmed)
            {
                writer.WriteBoolean("Confirm", confirmed);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteValue(Utf8JsonWriter writer, object? value, string name, ParameterEncryptionKey? key)
    {
        value = Unwrap(value);
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case SwitchParameter switchParameter:
                writer.WriteBooleanValue(switchParameter.IsPresent);
                break;
            case bool flag:
                writer.WriteBooleanValue(flag);
                break;
            case string text:
                writer.WriteStringValue(text);
                break;
            case int or long or short or byte or uint or ushort or sbyte:
                writer.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case ulong big:
                writer.WriteNumberValue(big);
                break;
            case double or float or decimal:
                writer.WriteNumberValue(Convert.ToDouble(value, CultureInfo.InvariantCulture));
                break;
            case ResultSize resultSize:
                if (resultSize.IsUnlimited)
                {
                    writer.WriteStringValue("Unlimited");
                }
                else
                {
                    writer.WriteNumberValue(resultSize.Limit);
                }

                break;
            case DateTime date:
                writer.WriteStringValue(Iso(date.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(date, DateTimeKind.Local) : date));
                break;
            case DateTimeOffset offset:
                writer.WriteStringValue(Iso(offset.UtcDateTime));
                break;
            case byte[] bytes:
                writer.WriteStartObject();
                writer.WriteString("@odata.type", ByteArrayType);
                writer.WriteString("Data", Convert.ToBase64String(bytes));
                writer.WriteEndObject();
                break;
            case IDictionary table:
                writer.WriteStartObject();
                writer.WriteString("@odata.type", HashTableType);
                foreach (DictionaryEntry entry in table)
                {
                    writer.WritePropertyName(entry.Key.ToString()!);
                    WriteValue(writer, entry.Value, name, key);
                }

                writer.WriteEndObject();
                break;
            case SecureString secret:
                writer.WriteStringValue(Encrypt(secret, name, key));
                break;
            case PSCredential credential:
                // The protocol names no shape for a credential; sent as the two values the service binds it from, the
                // password encrypted like any SecureString.
                writer.WriteStartObject();
                writer.WriteString("@odata.type", HashTableType);
                writer.WriteString("UserName", credential.UserName);
                writer.WriteString("Password", Encrypt(credential.Password, name, key));
                writer.WriteEndObject();
                break;
            case IEnumerable sequence:
                writer.WriteStartArray();
                foreach (var item in sequence)
                {
                    WriteValue(writer, item, name, key);
                }

                writer.WriteEndArray();
                break;
            default:
                writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }

    /// <summary>A secret goes on the wire only encrypted with the key this connection's module file carries.</summary>
    private static string Encrypt(SecureString secret, string name, ParameterEncryptionKey? key)
    {
        if (key is null)
        {
            throw Failures.InvalidArgument(
                $"The parameter '{name}' takes a secret, and the service's module file for this connection carries no public key (<RSAKeyValue>) to encrypt it with; nothing was sent.",
                "ServiceKeyMissing",
                name);
        }

        try
        {
            return key.Encrypt(secret);
        }
        catch (System.Security.Cryptography.CryptographicException ex)
        {
            // The message names the parameter and the length limit, never the value.
            throw Failures.InvalidArgument(
                $"The value of '{name}' cannot be encrypted with the service's public key ({ex.GetType().Name}); a key of n bits takes at most n/8 - 11 bytes of UTF-8 text. Nothing was sent.",
                "SecretNotEncrypted",
                name);
        }
    }

    private static string? CollectionAnnotation(IEnumerable sequence)
    {
        var any = false;
        bool allTables = true, allBytes = true;
        foreach (var raw in sequence)
        {
            var item = Unwrap(raw);
            any = true;
            allTables &= item is IDictionary;
            allBytes &= item is byte[];
        }

        return !any ? null : allTables ? "#Collection(Exchange.GenericHashTable)" : allBytes ? "#Collection(Exchange.ByteArrayType)" : null;
    }

    private static object? Unwrap(object? value) => value is PSObject wrapped && wrapped.BaseObject is not PSCustomObject ? wrapped.BaseObject : value;

    private static string Iso(DateTime date) => date.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
}
