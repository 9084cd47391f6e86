"""The plain-English reading of a before/after result: what the figures say, and what the design can
and cannot show (so that nobody reads a level 2 result as proof)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.numbers import interval, percent, percent_change, ratio

if TYPE_CHECKING:
    from datetime import date

    from evaluation.selectors.before_after import AreaCounts, BeforeAfter

SMALL_NUMBERS = 20


def _movement(area: AreaCounts) -> str:
    if area.change == 0:
        return "no change"
    direction = "a fall" if area.change < 0 else "a rise"
    share = f" ({percent(abs(change))})" if (change := area.percent_change) is not None else ""
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
        if result.effect_withheld:
            lines.append("The relative effect size is withheld: see the months with no crime data held, below.")
        else:
            lines.append(
                relative_effect_reading(
                    result.relative_effect, result.relative_effect_interval, against="the comparison area"
                )
            )
    if result.buffer is not None:
        buffer = result.buffer
        lines.append(
            f"In the displacement buffer ({result.buffer_description}) there were {buffer.before} before and "
            f"{buffer.after} after: {_movement(buffer)}."
        )
        if not result.effect_withheld and result.comparison is not None:
            lines.append(displacement_reading(result.wdq))
    if result.months_before != result.months_after:
        lines.append(
            f"The periods before and after differ in length ({result.months_before} and {result.months_after} "
            "months), so compare the monthly averages rather than the totals; the relative effect size allows for "
            "this, as it compares each area with itself."
        )
    if result.missing_months:
        lines.append(
            coverage_reading(
                result.missing_months, zero=result.missing_months_are_zero, reason=result.missing_months_reason
            )
        )
    lines.extend(_limits(result))
    return lines


def _month_names(months: list[date]) -> str:
    return ", ".join(f"{month:%B %Y}" for month in months)


def coverage_reading(months: list[date], *, zero: bool, reason: str) -> str:
    """What the months with no crime data held mean for the figures (evaluation.selectors.coverage)."""
    count = f"{len(months)} month{'s' if len(months) != 1 else ''}"
    if zero:
        return (
            f"No crime data is held for {count} of the periods ({_month_names(months)}); the design records "
            f"that they truly had no crime: {reason}"
        )
    return (
        f"No crime data is held for {count} of the periods ({_month_names(months)}), so they count as no crime "
        "at all. No effect size is given until the periods are shortened to the months held, or the design "
        "records that these months truly had no crime, with the reason."
    )


def relative_effect_reading(res: float | None, bounds: tuple[float, float] | None, *, against: str) -> str:
    """The relative effect size (RES > 1: the target did better, see evaluation.selectors.before_after)
    with its 95% interval, and whether the change could be chance: it could when the interval
    includes 1 (no difference)."""
    if res is None or bounds is None:
        return "The relative effect cannot be computed because one of the four counts is zero."
    relative = (1 / res - 1) * 100
    better = "better" if res > 1 else "worse" if res < 1 else "neither better nor worse"
    low, high = bounds
    if low > 1:
        chance = (
            f"the whole interval is above 1, so the target area did better than {against} by more than "
            "chance alone would readily give"
        )
    elif high < 1:
        chance = (
            f"the whole interval is below 1, so the target area did worse than {against} by more than "
            "chance alone would readily give"
        )
    else:
        chance = "the interval includes 1 (no difference), so the change could be chance"
    return (
        f"Relative to {against}, crime in the target area changed by {percent_change(relative)} "
        f"(relative effect size {ratio(res)}, 95% confidence interval {interval(low, high)}): the target area did "
        f"{better} than {against}; {chance}."
    )


def displacement_reading(wdq: float | None) -> str:
    """The weighted displacement quotient's reading, after Bowers, K. J. and Johnson, S. D. (2003),
    "Measuring the geographical displacement and diffusion of benefit effects of crime prevention
    activity", Journal of Quantitative Criminology 19(3), 275-301: WDQ > 0 diffusion of benefits
    into the buffer (above 1, larger than the direct effect), WDQ < 0 displacement into it (below -1,
    larger than the direct effect: the response made things worse overall), 0 neither. It is only
    meaningful when the target area improved relative to the comparison area (computed only then).
    "About 0" is a value that reads 0.00 at two decimals, as shown."""
    if wdq is None:
        return (
            "The weighted displacement quotient is not computed: it measures displacement or diffusion only "
            "where the target area improved relative to the comparison area, and here it did not (or a "
            "comparison count is zero)."
        )
    shown = ratio(wdq)
    if ratio(abs(wdq)) == "0.00":
        meaning = "neither displacement into the buffer nor diffusion of benefits to it"
    elif wdq > 1:
        meaning = "diffusion of benefits: the buffer improved by more than the target area itself"
    elif wdq > 0:
        meaning = "diffusion of benefits: the buffer improved too"
    elif wdq >= -1:
        meaning = "some displacement into the buffer, smaller than the benefit in the target area"
    else:
        meaning = "displacement into the buffer larger than the benefit in the target area"
    return f"The weighted displacement quotient is {shown}: {meaning}."


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
