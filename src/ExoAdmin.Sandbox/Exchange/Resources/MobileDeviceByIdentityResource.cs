using ExoAdmin.Sandbox.Data;
using ExoAdmin.Sandbox.Edm;
using Microsoft.AspNetCore.Http;

namespace ExoAdmin.Sandbox.Exchange.Resources;

/// <summary>
/// GET …/GetMobileDeviceStatisticsByIdentity(Identity='XParameter-Identity') (Get-EXOMobileDeviceStatistics -Identity,
/// §6.3): one device, named by its GUID or device id in the XParameter-Identity header (base64), with
/// ReadIdsAndParamsFromHeaders=True as every request that carries such a header.
/// </summary>
internal sealed class MobileDeviceByIdentityResource : IODataResource
{
    public string Name => "GetMobileDeviceStatisticsByIdentity";

    public string Method => HttpMethods.Get;

    public IReadOnlyList<ODataRoute> Routes { get; } =
    [
        new(keyed: true, "", ServeAsync,
            new ODataExample("GetMobileDeviceStatisticsByIdentity(Identity='XParameter-Identity')?ReadIdsAndParamsFromHeaders=True", ("XParameter-Identity", "{b64:{deviceGuid:admin}}"))),
    ];

    private static Task ServeAsync(ExchangeRequest request, ODataRouteMatch _)
    {
        request.RejectUnsupportedOptions(["ReadIdsAndParamsFromHeaders", "ActiveSync", "OWAforDevices", "RestApi", "UniversalOutlook", "$select"], []);
        if (!string.Equals(request.Target.Key, "XParameter-Identity", StringComparison.Ordinal)
            || !string.Equals(request.Query.Get("ReadIdsAndParamsFromHeaders"), "true", StringComparison.OrdinalIgnoreCase)
            || request.Http.Request.Headers["XParameter-Identity"].ToString() is not { Length: > 0 } encoded)
        {
            throw new ExchangeErrorException(ExchangeErrors.BadRequest(
                "GetMobileDeviceStatisticsByIdentity takes Identity='XParameter-Identity' with the identity in the XParameter-Identity header and ReadIdsAndParamsFromHeaders=True."));
        }

        var identity = MailboxResource.DecodeIdentity(encoded, "true");
        var found = request.Tenant.Mailboxes.From(0)
            .SelectMany(m => MailboxActivity.MobileDevices(m).Select((d, i) => (Mailbox: m, Device: d, Ordinal: i)))
            .FirstOrDefault(x => string.Equals(x.Device.DeviceId, identity, StringComparison.OrdinalIgnoreCase)
                || (Guid.TryParse(identity, out var guid) && x.Device.Guid == guid));
        if (found.Mailbox is null)
        {
            throw new ExchangeErrorException(ExchangeErrors.ObjectNotFound(identity, request.Tenant.Tenant));
        }

        return CollectionWriter.WriteAsync(request, "Collection(Exchange.MobileDeviceStatistics)", EdmSchema.Instance.GetType("MobileDeviceStatistics"),
            [ObjectShapes.MobileDevice(found.Mailbox, found.Device, found.Ordinal)]);
    }
}
