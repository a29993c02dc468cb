"""terreau select_panel --pool respondents.csv --quotas categories.csv --seats K --method leximin
--seed S --out DIR: a panel from a pool in the Sortition Foundation's CSV formats."""

from django.core.management.base import BaseCommand, CommandError

from terreau.calls.selection import Infeasible
from terreau.calls.sortition_csv import FormatError, select_panel_files


class Command(BaseCommand):
    help = "Select a panel under quotas from CSV files (leximin, maximin or merit)."
    requires_system_checks = []  # plain files in, plain files out: no database

    def add_arguments(self, parser):
        parser.add_argument("--pool", required=True, help="the pool: one column per feature")
        parser.add_argument("--quotas", required=True, help="feature,value,min,max")
        parser.add_argument("--seats", required=True, type=int)
        parser.add_argument("--method", default="leximin", choices=["leximin", "maximin", "merit"])
        parser.add_argument("--seed", type=int, default=None, help="published, to re-run the draw")
        parser.add_argument("--out", required=True, help="folder for the CSV outputs")

    def handle(self, *args, **options):
        try:
            selection = select_panel_files(
                options["pool"],
                options["quotas"],
                options["seats"],
                options["method"],
                options["seed"],
                options["out"],
            )
        except Infeasible as error:
            raise CommandError("The quotas cannot be met:\n" + "\n".join(error.explanation))
        except (FormatError, ValueError, OSError) as error:
            raise CommandError(str(error))
        lottery = selection.lottery
        self.stdout.write(f"Panel of {len(selection.panel)} ({selection.method}).")
        if lottery is not None:
            self.stdout.write(
                f"Seed {selection.seed}; {len(lottery.panels)} panels; smallest probability"
                f" {min(lottery.marginals.values()):.6f}."
            )
        self.stdout.write(f"Written to {options['out']}.")
