using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using ExoAdmin.Engine.OData;
using ExoAdmin.Engine.Sessions;

namespace ExoAdmin.Engine.Operations;

/// <summary>Get-EXOMobileDeviceStatistics' kinds of device: none chosen lists them all.</summary>
public sealed class MobileDeviceFilters
{
    public MobileDeviceFilters(bool activeSync, bool owaForDevices, bool restApi, bool universalOutlook)
    {
        ActiveSync = activeSync;
        OwaForDevices = owaForDevices;
        RestApi = restApi;
        UniversalOutlook = universalOutlook;
    }

    public bool ActiveSync { get; }

    public bool OwaForDevices { get; }

    public bool RestApi { get; }

    public bool UniversalOutlook { get; }

    internal ODataUrl ApplyTo(ODataUrl url) => url
        .Option("ActiveSync", ActiveSync ? "True" : null)
        .Option("OWAforDevices", OwaForDevices ? "True" : null)
        .Option("RestApi", RestApi ? "True" : null)
        .Option("UniversalOutlook", UniversalOutlook ? "True" : null);
}

/// <summary>Get-EXOMobileDeviceStatistics (§6.3): a mailbox's devices, or one device by its identity.</summary>
public static class MobileDeviceOperations
{
    private const string SchemaType = "MobileDeviceStatistics";
    private const string OutputType = "ExoAdmin.MobileDeviceStatistics";

    /// <summary>…/Mailbox('&lt;b64&gt;')/MobileDevice/Exchange.GetMobileDeviceStatistics().</summary>
    public static Task GetMobileDevicesAsync(ExoConnection connection, string mailbox, MobileDeviceFilters filters, IOperationSink sink, CancellationToken cancellationToken)
    {
        var url = filters.ApplyTo(ODataUrl.For(connection.ApiBase, "Mailbox").Key(mailbox).Path("/MobileDevice/Exchange.GetMobileDeviceStatistics()"));
        return ExoReads.ReadManyAsync("Get-EXOMobileDeviceStatistics", connection, url.Build(), mailbox, SchemaType, OutputType, ResultSize.Unlimited, sink, cancellationToken);
    }

    /// <summary>
    /// One device: …/GetMobileDeviceStatisticsByIdentity(Identity='XParameter-Identity') with the device's identity in
    /// the XParameter-Identity header (base64), and so ReadIdsAndParamsFromHeaders=True, as every such request carries.
    /// </summary>
    public static Task GetMobileDeviceAsync(ExoConnection connection, string device, MobileDeviceFilters filters, IOperationSink sink, CancellationToken cancellationToken)
    {
        var url = filters.ApplyTo(ODataUrl.For(connection.ApiBase, "GetMobileDeviceStatisticsByIdentity(Identity='XParameter-Identity')"))
            .Option("ReadIdsAndParamsFromHeaders", "True");
        var headers = new Dictionary<string, string> { ["XParameter-Identity"] = ODataUrl.EncodeIdentity(device) };
        return ExoReads.ReadManyAsync("Get-EXOMobileDeviceStatistics", connection, url.Build(), device, SchemaType, OutputType, ResultSize.Unlimited, sink, cancellationToken, headers);
    }
}
