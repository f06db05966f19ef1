using System;
using System.Globalization;
using ExoAdmin.Engine.OData;

namespace ExoAdmin.Commands.Infrastructure;

/// <summary>
/// The -ResultSize value: a positive number or the word Unlimited, as in the original. PowerShell
/// converts a string or a number to it through the constructors.
/// </summary>
public readonly struct Unlimited
{
    private readonly long _value;

    public Unlimited(long value)
    {
        if (value <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), "ResultSize must be a number greater than 0, or Unlimited.");
        }

        _value = value;
    }

    public Unlimited(string value)
    {
        if (string.Equals(value?.Trim(), "Unlimited", StringComparison.OrdinalIgnoreCase))
        {
            _value = long.MaxValue;
        }
        else if (long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) && number > 0)
        {
            _value = number;
        }
        else
        {
            throw new ArgumentException($"'{value}' is not a valid ResultSize: use a number greater than 0, or Unlimited.", nameof(value));
        }
    }

    public bool IsUnlimited => _value == long.MaxValue;

    internal ResultSize ToResultSize() => IsUnlimited ? ResultSize.Unlimited : ResultSize.Of(_value);

    public override string ToString() => IsUnlimited ? "Unlimited" : _value.ToString(CultureInfo.InvariantCulture);
}
