"""The plain-English reading of a before/after result: what the figures say, and what the design can
and cannot show (so that nobody reads a level 2 result as proof)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from evaluation.selectors.before_after import AreaCounts, BeforeAfter

SMALL_NUMBERS = 20


def _movement(area: AreaCounts) -> str:
    if area.change == 0:
        return "no change"
    direction = "a fall" if area.change < 0 else "a rise"
    percent = area.percent_change
    share = f" ({abs(percent):.0f}%)" if percent is not None else ""
    return f"{direction} of {abs(area.change)}{share}"


def before_after_reading(result: BeforeAfter) -> list[str]:
    months = f"{result.months_before} month{'s' if result.months_before != 1 else ''}"
    types = ", ".join(result.crime_types) if result.crime_types else "all crime types"
    target = result.target
    lines = [
        f"In the target area ({result.target_description}), {target.before} crimes of the chosen types ({types}) "
        f"were recorded in the {months} before the response began in {result.response_start:%B %Y}, and "
        f"{target.after} in the {result.months_after} months from then: {_movement(target)}."
    ]
    comparison = result.comparison
    if comparison is not None:
        lines.append(
            f"In the comparison area ({result.comparison_description}) the same period saw "
            f"{comparison.before} before and {comparison.after} after: {_movement(comparison)}."
        )
        res = result.relative_effect
        if res is None:
            lines.append("The relative effect cannot be computed because one of the four counts is zero.")
        else:
            relative = result.relative_change_percent or 0.0
            better = "better" if res > 1 else "worse" if res < 1 else "neither better nor worse"
            lines.append(
                f"Relative to the comparison area, crime in the target area changed by {relative:+.0f}% "
                f"(relative effect size {res:.2f}): the target area did {better} than the comparison area."
            )
    if result.buffer is not None:
        buffer = result.buffer
        lines.append(
            f"In the displacement buffer ({result.buffer_description}) there were {buffer.before} before and "
            f"{buffer.after} after: {_movement(buffer)}."
        )
        wdq = result.wdq
        if wdq is not None:
            if wdq > 0:
                meaning = "diffusion of benefits: the buffer improved too"
            elif wdq == 0:
                meaning = "neither displacement nor diffusion"
            elif wdq >= -1:
                meaning = "some displacement into the buffer, smaller than the benefit in the target area"
            else:
                meaning = "displacement into the buffer larger than the benefit in the target area"
            lines.append(f"The weighted displacement quotient is {wdq:.2f}: {meaning}.")
    if result.months_before != result.months_after:
        lines.append(
            f"The periods before and after differ in length ({result.months_before} and {result.months_after} "
            "months), so compare the monthly averages rather than the totals; the relative effect size allows for "
            "this, as it compares each area with itself."
        )
    lines.extend(_limits(result))
    return lines


def _limits(result: BeforeAfter) -> list[str]:
    lines = []
    if result.comparison is None:
        lines.append(
            "This is a before-and-after design with no comparison area (Maryland level 2). It can show "
            "whether crime went down where the response was aimed; it cannot show that the response caused "
            "the change, because crime may have fallen anyway (a wider trend, the season, or a return to "
            "normal after an unusual peak)."
        )
    else:
        lines.append(
            "With a comparison area (Maryland level 3) the design allows for changes that happened in both "
            "areas alike. It cannot rule out something else that changed in the target area alone at the "
            "same time, nor differences between the two areas that the counts do not capture."
        )
    if result.target.before + result.target.after < SMALL_NUMBERS:
        lines.append(
            f"The counts are small (fewer than {SMALL_NUMBERS} in the target area), so percentages can swing "
            "widely by chance: read them with care."
        )
    lines.append(
        "The counts are crimes recorded by the police and published on data.police.uk, whose locations are "
        "moved to nearby points for anonymity: they are not all crime, and a few may fall just the other side "
        "of an area's edge."
    )
    return lines
