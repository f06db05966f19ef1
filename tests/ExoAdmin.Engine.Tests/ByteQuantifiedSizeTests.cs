using ExoAdmin.Engine.Model;

namespace ExoAdmin.Engine.Tests;

public class ByteQuantifiedSizeTests
{
    [Theory]
    [InlineData(246_913_578UL, "235.5 MB (246,913,578 bytes)")]
    [InlineData(106_300_440_576UL, "99 GB (106,300,440,576 bytes)")]
    [InlineData(1_573_129_216UL, "1.465 GB (1,573,129,216 bytes)")]
    [InlineData(36_700_160UL, "35 MB (36,700,160 bytes)")]
    [InlineData(512UL, "512 B (512 bytes)")]
    [InlineData(0UL, "0 B (0 bytes)")]
    public void Prints_as_Exchange_does(ulong bytes, string expected) =>
        Assert.Equal(expected, new ByteQuantifiedSize(bytes).ToString());

    [Fact]
    public void Converts_to_units_by_truncation_like_the_original()
    {
        var size = new ByteQuantifiedSize(246_913_578);

        Assert.Equal(246_913_578UL, size.ToBytes());
        Assert.Equal(241_126UL, size.ToKB());
        Assert.Equal(235UL, size.ToMB());
        Assert.Equal(0UL, size.ToGB());
    }

    [Theory]
    [InlineData("235.5 MB (246,913,578 bytes)", 246_913_578UL)]
    [InlineData("99 GB (106,300,440,576 bytes)", 106_300_440_576UL)]
    public void Parses_the_service_text_by_its_byte_count(string text, ulong bytes)
    {
        Assert.True(UnlimitedSize.TryParse(text, out var size));
        Assert.Equal(bytes, size.Value.ToBytes());
        Assert.Equal(text, size.ToString());
    }

    [Fact]
    public void Unlimited_prints_as_Unlimited_sorts_last_and_has_no_value()
    {
        Assert.True(UnlimitedSize.TryParse("Unlimited", out var unlimited));
        Assert.Equal("Unlimited", unlimited.ToString());
        Assert.True(unlimited.CompareTo(UnlimitedSize.FromBytes(1)) > 0);
        Assert.Throws<InvalidOperationException>(() => unlimited.Value);
        Assert.False(UnlimitedSize.TryParse("lots", out _));
    }

    [Theory]
    [InlineData("50GB", 53_687_091_200UL)]
    [InlineData("1.5 MB", 1_572_864UL)]
    [InlineData("512", 512UL)]
    [InlineData("2 kb", 2_048UL)]
    [InlineData("99 GB (106,300,440,576 bytes)", 106_300_440_576UL)]
    public void Parses_what_an_admin_compares_a_size_with(string text, ulong bytes) =>
        Assert.Equal(bytes, UnlimitedSize.Parse(text).Value.ToBytes());

    [Fact]
    public void Parse_takes_Unlimited_and_refuses_text_that_is_no_size()
    {
        Assert.True(UnlimitedSize.Parse(" unlimited ").IsUnlimited);
        var error = Assert.Throws<FormatException>(() => UnlimitedSize.Parse("lots"));
        Assert.Contains("'lots' is not a size", error.Message);
        Assert.Throws<FormatException>(() => ByteQuantifiedSize.Parse("5 XB"));
    }
}
