using System;
using System.Net.Http;

namespace ExoAdmin.Engine.Http;

/// <summary>One logical request: re-sent as a new HttpRequestMessage on every retry.</summary>
internal sealed class RestCall
{
    public RestCall(HttpMethod method, Uri uri, string cmdletRequestId)
    {
        Method = method;
        Uri = uri;
        CmdletRequestId = cmdletRequestId;
    }

    public HttpMethod Method { get; }

    public Uri Uri { get; }

    /// <summary>GUID per cmdlet invocation (client-request-id), shared by its pages.</summary>
    public string CmdletRequestId { get; }

    public string? JsonBody { get; set; }

    /// <summary>OData-Version headers go on the first request of a query only, as the original sends them.</summary>
    public bool IsFirstPage { get; set; } = true;

    /// <summary>Prefer: odata.maxpagesize; null sends no preference.</summary>
    public int? MaxPageSize { get; set; }

    /// <summary>Extra headers, such as XParameter-Identity (§6.3); sent on every page and retry.</summary>
    public System.Collections.Generic.IReadOnlyDictionary<string, string>? ExtraHeaders { get; set; }

    /// <summary>Per-request X-AnchorMailbox; the connection's default when null.</summary>
    public string? Anchor { get; set; }

    /// <summary>The classic cmdlet an InvokeCommand POST runs (X-CmdletName); null for Get-EXO* requests.</summary>
    public string? CmdletName { get; set; }

    /// <summary>A POST that only reads (a Get- cmdlet through InvokeCommand) may be re-sent like a GET.</summary>
    public bool IsReadOnly { get; set; }

    /// <summary>Reads can be re-sent freely; changes only where the service cannot have applied them.</summary>
    public bool IsIdempotent => Method == HttpMethod.Get || IsReadOnly;
}
