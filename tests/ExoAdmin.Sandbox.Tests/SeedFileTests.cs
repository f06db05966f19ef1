using ExoAdmin.Sandbox.Data;

namespace ExoAdmin.Sandbox.Tests;

/// <summary>--seed-file: mailboxes from a ConvertTo-Json export of Get-EXOMailbox, from either PowerShell.</summary>
public sealed class SeedFileTests : IDisposable
{
    private static readonly Tenant Northwind = Tenant.FromDomain("northwind.onmicrosoft.com");
    private readonly string _directory = Directory.CreateTempSubdirectory("seed-file-tests-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private SeedFile Load(string json)
    {
        var path = Path.Combine(_directory, Guid.NewGuid() + ".json");
        File.WriteAllText(path, json);
        return SeedFile.Load(path);
    }

    [Fact]
    public void A_PowerShell_7_export_keeps_names_addresses_ids_archive_hold_and_dates()
    {
        var file = Load("""
            [
              {
                "Alias": "nancy", "DisplayName": "Nancy Davolio", "Name": "nancy", "RecipientTypeDetails": "UserMailbox",
                "PrimarySmtpAddress": "nancy@northwind.com", "UserPrincipalName": "nancy@northwind.com",
                "EmailAddresses": ["SMTP:nancy@northwind.com", "smtp:nancy@northwind.onmicrosoft.com"],
                "Guid": "0b6d3c52-1111-4a4a-8b8b-000000000001", "ExchangeGuid": "0b6d3c52-1111-4a4a-8b8b-000000000002",
                "ExternalDirectoryObjectId": "0b6d3c52-1111-4a4a-8b8b-000000000003",
                "Database": "NAMPR05DG123-db042", "ArchiveStatus": "Active", "ArchiveGuid": "0b6d3c52-1111-4a4a-8b8b-000000000004",
                "AutoExpandingArchiveEnabled": true, "LitigationHoldEnabled": true, "LitigationHoldDate": "2024-02-03T04:05:06Z",
                "WhenCreatedUTC": "2019-05-06T07:08:09Z", "WhenChangedUTC": "2025-01-02T03:04:05.1234567Z",
                "Office": "Seattle", "UsageLocation": "United States", "Languages": ["en-US"], "HiddenFromAddressListsEnabled": false
              },
              { "Alias": "board-room", "DisplayName": "Board Room", "RecipientTypeDetails": "RoomMailbox", "PrimarySmtpAddress": "board@northwind.com", "ResourceCapacity": 14 }
            ]
            """);

        var mailboxes = file.Build(Northwind);

        Assert.Equal(2, mailboxes.Length);
        var nancy = mailboxes[0];
        Assert.Equal(0, nancy.Ordinal);
        Assert.Equal("nancy", nancy.Alias);
        Assert.Equal("Nancy Davolio", nancy.DisplayName);
        Assert.Equal("nancy@northwind.com", nancy.PrimarySmtpAddress);
        Assert.Equal(new[] { "SMTP:nancy@northwind.com", "smtp:nancy@northwind.onmicrosoft.com" }, nancy.EmailAddresses);
        Assert.Equal(Guid.Parse("0b6d3c52-1111-4a4a-8b8b-000000000001"), nancy.Guid);
        Assert.Equal(Guid.Parse("0b6d3c52-1111-4a4a-8b8b-000000000003"), nancy.ExternalDirectoryObjectId);
        Assert.Equal("NAMPR05DG123-db042", nancy.Database.Name);
        Assert.Equal(Guid.Parse("0b6d3c52-1111-4a4a-8b8b-000000000004"), nancy.Archive!.ArchiveGuid);
        Assert.True(nancy.Archive.AutoExpanding);
        Assert.Equal(new DateTime(2024, 2, 3, 4, 5, 6, DateTimeKind.Utc), nancy.LitigationHoldDateUtc);
        Assert.Equal(new DateTime(2019, 5, 6, 7, 8, 9, DateTimeKind.Utc), nancy.WhenCreatedUtc);
        Assert.Equal(DateTimeKind.Utc, nancy.WhenChangedUtc.Kind);
        Assert.Equal("en-US", nancy.Language);
        var room = mailboxes[1];
        Assert.Equal(RecipientTypes.RoomMailbox, room.RecipientTypeDetails);
        Assert.Equal(14, room.ResourceCapacity);
        Assert.Null(room.Archive);
        Assert.Equal(new[] { "SMTP:board@northwind.com" }, room.EmailAddresses);
    }

    [Fact]
    public void A_Windows_PowerShell_export_of_one_mailbox_with_Date_literals_is_read()
    {
        var file = Load("""{ "UserPrincipalName": "andrew@northwind.com", "WhenCreated": "\/Date(1546300800000)\/", "ArchiveGuid": "00000000-0000-0000-0000-000000000000" }""");

        var andrew = Assert.Single(file.Build(Northwind));

        Assert.Equal("andrew", andrew.Alias);
        Assert.Equal("andrew@northwind.com", andrew.PrimarySmtpAddress);
        Assert.Equal(RecipientTypes.UserMailbox, andrew.RecipientTypeDetails);
        Assert.Equal(new DateTime(2019, 1, 1, 0, 0, 0, DateTimeKind.Utc), andrew.WhenCreatedUtc);
        Assert.Null(andrew.Archive);
    }

    [Fact]
    public void Missing_ids_are_derived_from_tenant_and_alias_so_every_run_is_the_same()
    {
        const string json = """[{ "Alias": "margaret" }, { "Alias": "steven" }]""";

        var first = Load(json).Build(Northwind);
        var second = Load(json).Build(Northwind);

        Assert.Equal(first.Select(m => m.Guid), second.Select(m => m.Guid));
        Assert.NotEqual(first[0].Guid, first[1].Guid);
        Assert.NotEqual(Guid.Empty, first[0].ExchangeGuid);
        Assert.Equal("margaret@northwind.com", first[0].PrimarySmtpAddress);
    }

    [Theory]
    [InlineData("not json", "is not JSON")]
    [InlineData("42", "must hold a JSON array")]
    [InlineData("[{ \"DisplayName\": \"\" }]", "entry 0 has no Alias")]
    [InlineData("[1]", "entry 0 is not an object")]
    public void A_file_that_is_not_a_mailbox_export_is_refused_with_the_reason(string json, string reason)
    {
        var error = Assert.Throws<InvalidDataException>(() => Load(json));
        Assert.Contains(reason, error.Message);
    }
}
