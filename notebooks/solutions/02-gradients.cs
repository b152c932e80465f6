// Lesson 2 — reference solutions and typical mistakes, one section per exercise, for teachers and for the tests:
// `run --solutions` puts each solution into its exercise cell (every check must print ✔), `run --mistakes` puts each
// mistake in instead (its check must print ✘ with the hint after the colon). See tools/Notebooks/Engine/ExerciseCatalog.cs.

//# solution 2.1
// Exercise 2.1: ∂E/∂w54 for E = (y − ŷ)² of one person.
double DE_dw54(ToyNetwork net, ToySample person)
{
    var f = net.Forward(person.X1, person.X2);
    double dE_dŷ = -2 * (person.Y - f.YHat);                  // ∂E/∂ŷ
    double dŷ_dz5 = Activation.SigmoidDerivativeOf(f.Z5);      // ∂ŷ/∂z5 = σ′(z5)
    return dE_dŷ * dŷ_dz5 * f.H4;                              // ∂z5/∂w54 = h4
}

//# mistake 2.1: a missing σ′(z5): ∂ŷ/∂z5 is a factor of the chain too
double DE_dw54(ToyNetwork net, ToySample person)
{
    var f = net.Forward(person.X1, person.X2);
    return -2 * (person.Y - f.YHat) * f.H4;
}

//# mistake 2.1: the wrong hidden neuron: w54 multiplies h4, not h3
double DE_dw54(ToyNetwork net, ToySample person)
{
    var f = net.Forward(person.X1, person.X2);
    return -2 * (person.Y - f.YHat) * Activation.SigmoidDerivativeOf(f.Z5) * f.H3;
}

//# mistake 2.1: a sign: ∂E/∂ŷ = −2(y − ŷ), not 2(y − ŷ)
double DE_dw54(ToyNetwork net, ToySample person)
{
    var f = net.Forward(person.X1, person.X2);
    return 2 * (person.Y - f.YHat) * Activation.SigmoidDerivativeOf(f.Z5) * f.H4;
}

//# solution 2.2
// Exercise 2.2: ∂E/∂b3 for E = (y − ŷ)² of one person.
double DE_db3(ToyNetwork net, ToySample person)
{
    var f = net.Forward(person.X1, person.X2);
    double dE_dŷ = -2 * (person.Y - f.YHat);                  // ∂E/∂ŷ
    double dŷ_dz5 = Activation.SigmoidDerivativeOf(f.Z5);      // ∂ŷ/∂z5 = σ′(z5)
    double dz5_dh3 = net.W53;                                  // ∂z5/∂h3 = w53
    double dh3_dz3 = Activation.SigmoidDerivativeOf(f.Z3);     // ∂h3/∂z3 = σ′(z3)
    return dE_dŷ * dŷ_dz5 * dz5_dh3 * dh3_dz3 * 1;            // ∂z3/∂b3 = 1
}

//# mistake 2.2: a missing σ′(z3): the path passes through neuron 3's sigmoid
double DE_db3(ToyNetwork net, ToySample person)
{
    var f = net.Forward(person.X1, person.X2);
    return -2 * (person.Y - f.YHat) * Activation.SigmoidDerivativeOf(f.Z5) * net.W53;
}

//# mistake 2.2: the wrong hidden neuron: b3 feeds neuron 3, so w53 and σ′(z3), not w54 and σ′(z4)
double DE_db3(ToyNetwork net, ToySample person)
{
    var f = net.Forward(person.X1, person.X2);
    return -2 * (person.Y - f.YHat) * Activation.SigmoidDerivativeOf(f.Z5) * net.W54
        * Activation.SigmoidDerivativeOf(f.Z4);
}

//# mistake 2.2: σ′(z3) is h3·(1 − h3), not h3
double DE_db3(ToyNetwork net, ToySample person)
{
    var f = net.Forward(person.X1, person.X2);
    return -2 * (person.Y - f.YHat) * Activation.SigmoidDerivativeOf(f.Z5) * net.W53 * f.H3;
}

//# mistake 2.2: ∂z3/∂b3 is 1: there is no x1 in a bias's chain
double DE_db3(ToyNetwork net, ToySample person)
{
    var f = net.Forward(person.X1, person.X2);
    return -2 * (person.Y - f.YHat) * Activation.SigmoidDerivativeOf(f.Z5) * net.W53
        * Activation.SigmoidDerivativeOf(f.Z3) * person.X1;
}
