using System;

namespace ExoAdmin.Engine.OData;

/// <summary>How many objects a read may return: a positive count, or Unlimited.</summary>
public readonly struct ResultSize
{
    private readonly long _limit;

    private ResultSize(long limit) => _limit = limit;

    public static ResultSize Unlimited => new(long.MaxValue);

    public bool IsUnlimited => _limit == long.MaxValue;

    public long Limit => _limit;

    public static ResultSize Of(long count) =>
        count > 0 ? new ResultSize(count) : throw new ArgumentOutOfRangeException(nameof(count), "ResultSize must be greater than 0.");

    public long Remaining(long written) => Math.Max(0, _limit - written);

    public override string ToString() => IsUnlimited ? "Unlimited" : _limit.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
