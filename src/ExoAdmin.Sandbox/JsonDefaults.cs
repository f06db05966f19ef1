using System.Text.Encodings.Web;
using System.Text.Json;

namespace ExoAdmin.Sandbox;

/// <summary>How every response and the export write JSON.</summary>
internal static class JsonDefaults
{
    /// <summary>Minimal escaping: payloads are never embedded in HTML, and "O'Brien" should stay readable.</summary>
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
