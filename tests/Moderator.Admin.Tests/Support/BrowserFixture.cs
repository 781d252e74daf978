using Microsoft.Playwright;

namespace Moderator.Admin.Tests.Support;

/// <summary>
/// Admin on a real 127.0.0.1 port and one headless Debian Chromium for the test class (never `playwright install`).
/// </summary>
public class BrowserFixture : AdminFixture
{
    private IPlaywright? _playwright;

    public BrowserFixture()
        : base(realPort: true)
    {
    }

    protected BrowserFixture(string tagA, string tagB)
        : base(realPort: true, tagA, tagB)
    {
    }

    public IBrowser Browser { get; private set; } = null!;

    public Uri BaseAddress { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        using (var client = Admin.CreateClient())
        {
            BaseAddress = client.BaseAddress!;
        }

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    public override async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await base.DisposeAsync();
    }

    /// <summary>A fresh browser context (its own cookies), signed in as <paramref name="username"/> when given.</summary>
    public async Task<IPage> PageAsync(string? username = null, string password = World.Password, int width = 1100, int height = 820)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseAddress.ToString(), ViewportSize = new ViewportSize { Width = width, Height = height } });
        context.SetDefaultTimeout(10_000);
        var page = await context.NewPageAsync();
        if (username is not null)
        {
            await SignInAsync(page, username, password);
            await Assertions.Expect(page).Not.ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/Account/SignIn"));
        }

        return page;
    }

    public static async Task SignInAsync(IPage page, string username, string password)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.GotoAsync("/Account/SignIn");
        await page.GetByLabel("Username or e-mail address").FillAsync(username);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    /// <summary>
    /// The repository's docs/screenshots folder (found by walking up to the solution file) when
    /// MODERATOR_UPDATE_SCREENSHOTS=1, so an ordinary test run leaves the committed images alone; else a temp folder.
    /// </summary>
    public static string ScreenshotFolder()
    {
        if (Environment.GetEnvironmentVariable("MODERATOR_UPDATE_SCREENSHOTS") != "1")
        {
            var temp = Path.Combine(Path.GetTempPath(), "moderator-admin-screenshots");
            Directory.CreateDirectory(temp);
            return temp;
        }

        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Moderator.sln")))
        {
            dir = dir.Parent;
        }

        var folder = Path.Combine(dir?.FullName ?? Path.GetTempPath(), "docs", "screenshots");
        Directory.CreateDirectory(folder);
        return folder;
    }
}
