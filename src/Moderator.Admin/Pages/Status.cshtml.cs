using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Moderator.Admin.Pages;

/// <summary>The page shown for an error status (403, 404, 400) instead of an empty body.</summary>
[IgnoreAntiforgeryToken]
public sealed class StatusModel : PageModel
{
    public string Heading { get; private set; } = "Something went wrong";

    public string Explanation { get; private set; } = "Try again, or go back to the start page.";

    public void OnGet(int code) => Describe(code);

    public void OnPost(int code) => Describe(code);

    private void Describe(int code)
    {
        (Heading, Explanation) = code switch
        {
            StatusCodes.Status403Forbidden => ("Not allowed", "Your account does not give you access to this. If you think it should, ask your school's administrator."),
            StatusCodes.Status404NotFound => ("Not found", "There is nothing at this address. It may have been closed or removed."),
            StatusCodes.Status400BadRequest => ("The form could not be accepted", "The form had expired or was not sent from this site. Go back, reload the page and try again."),
            _ => (Heading, Explanation),
        };
        Response.StatusCode = code is >= 400 and < 600 ? code : StatusCodes.Status500InternalServerError;
    }
}
