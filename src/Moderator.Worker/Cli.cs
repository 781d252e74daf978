using System.CommandLine;
using Moderator.Worker.Commands;

namespace Moderator.Worker;

/// <summary>The `moderator` command line.</summary>
public static class Cli
{
    public static RootCommand Build()
    {
        var root = new RootCommand("School social-media moderator: polls approved pages, scores comments against the house rules, hides the serious ones and queues the rest for two named moderators.");
        HostCommands.AddTo(root);
        ModelCommands.AddTo(root);
        return root;
    }
}
