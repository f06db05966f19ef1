using System;
using System.Collections.Generic;
using System.Net.Http;

namespace ExoAdmin.Engine.Http;

/// <summary>Which of the protocol's header sets a request carries (§3, §5.1, §6.1, §10).</summary>
internal enum RequestKind
{
    /// <summary>Get-EXO* (the compiled OData client): §6.1's headers, retries carrying the failed response's request-id.</summary>
    OData,

    /// <summary>A classic cmdlet POSTed to InvokeCommand: §5.1's headers, one client-request-id across retries and pages.</summary>
    InvokeCommand,

    /// <summary>EXOModuleFile at connect: §3.2's headers.</summary>
    ModuleFile,

    /// <summary>The banner and the basicinfo ping: Authorization only (§3.1, §3.4).</summary>
    AuthorizationOnly,
}

/// <summary>One logical request, as the operation that makes it built it: sent once, and again on each retry.</summary>
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

    public RequestKind Kind { get; set; } = RequestKind.OData;

    public string? JsonBody { get; set; }

    /// <summary>OData-Version headers go on the first request of a query only, as the original sends them.</summary>
    public bool IsFirstPage { get; set; } = true;

    /// <summary>The request follows a next link the service sent (which it may have let expire, §18.4).</summary>
    public bool FollowsNextLink => !IsFirstPage;

    /// <summary>Prefer: odata.maxpagesize; null sends no preference.</summary>
    public int? MaxPageSize { get; set; }

    /// <summary>Extra headers, such as XParameter-Identity (§6.3) or CommandName (§3.2); sent on every page and retry.</summary>
    public IReadOnlyDictionary<string, string>? ExtraHeaders { get; set; }

    /// <summary>Per-request X-AnchorMailbox; the connection's default for the request's kind when null.</summary>
    public string? Anchor { get; set; }

    /// <summary>The classic cmdlet an InvokeCommand POST runs (X-CmdletName); null for Get-EXO* requests.</summary>
    public string? CmdletName { get; set; }

    /// <summary>InvokeCommand's WarningAction header (§5.1): the cmdlet's -WarningAction, empty when it has none.</summary>
    public string? WarningAction { get; set; }

    /// <summary>What the request is about (the -Identity the cmdlet was given): the target of its errors and unknown outcomes.</summary>
    public object? Target { get; set; }

    /// <summary>A POST that only reads (a Get- cmdlet through InvokeCommand) may be re-sent like a GET.</summary>
    public bool IsReadOnly { get; set; }

    /// <summary>Reads can be re-sent freely; changes only where the service cannot have applied them.</summary>
    public bool IsIdempotent => Method == HttpMethod.Get || IsReadOnly;

    /// <summary>How errors and the trace name the request: the cmdlet when there is one, else METHOD path.</summary>
    public string Description => CmdletName ?? $"{Method} {Uri.AbsolutePath}";
}
