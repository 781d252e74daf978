namespace Moderator.Model.Policy;

/// <summary>The house rule behind each category (../shared/design/house-rules.md), quoted in every reason.</summary>
public static class HouseRules
{
    public static string For(Category category) => category switch
    {
        Category.Safeguarding => "safeguarding: a risk of harm to a child; hide at once and escalate to the DSL (001 A.2.2, A.2.3, A.5.5, A.5.6; 002 5.12)",
        Category.Hate => "hate: abuse aimed at a protected characteristic; hide at once (001 A.5.6; 002 5.8; 004 e)",
        Category.PupilIdentification => "pupil_identification: identifies a pupil or gives contact details; hide when confident (002 4.4, 4.5(f); 001 A.5.2, A.4.9)",
        Category.Abuse => "abuse: insults, bullying or malicious comments about pupils, parents, staff or the school; review, hide when severe (002 4.5(h), 5.8; 004)",
        Category.Offensive => "offensive: profanity or sexual content unsuitable for children; review, hide when strong (001 A.2.6, A.4.5)",
        Category.Spam => "spam: unsafe links, scams, advertising or impersonation of the school; review, hide with a link (002 4.5(g))",
        _ => throw new ArgumentOutOfRangeException(nameof(category)),
    };
}
