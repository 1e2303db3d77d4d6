"""The statistics core of the course: one implementation of each method.

=====================  ====================================================================
module                 contents
=====================  ====================================================================
``distributions``      normal/t/chi²/beta functions; ``z_quantile``/``t_quantile`` (the
                       only way from a confidence level to an interval's multiplier)
``proportions``        Wilson and exact intervals, logit/expit, counts from percentages
``effect_sizes``       risk difference (one implementation), NNT, log risk ratio, mean
                       differences, SMDs, t intervals
``pooling``            fixed effect, DL/PM/REML random effects, Wald or HKSJ intervals,
                       prediction interval, I² interval, pooled proportions, overlap rule
``sensitivity``        leave-one-out, subgroups, Egger's test
``power``              power and sample size for two response rates (normal and exact)
``plots``              forest, funnel, ARD explorer and power-curve figures
=====================  ====================================================================

Conventions: every public function checks its arguments with :mod:`helpers.core.validate`
(a bad argument raises ``ValueError``/``TypeError`` naming it; numpy scalars are numbers);
a confidence level is spelled ``level=0.95`` everywhere; ``alpha`` appears only as the
significance level of a hypothesis test (power and sample size). Heavy libraries (numpy,
scipy, pandas, matplotlib) are imported inside the functions that need them.
"""
