using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Moderator.Admin.Pages;

public sealed class IndexModel : PageModel
{
    public void OnGet()
    {
    }
}
