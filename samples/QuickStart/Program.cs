using System;
using QuickStart;

double value = Seed.LossGradient(2.0, 3.0, 4.0, 5.0, 6.0, out double da, out double dw1, out double dw2, out double dw3, out double dw4);
Console.WriteLine($"L = {value}");
Console.WriteLine($"dL/da = {da}, dL/dw1 = {dw1}, dL/dw2 = {dw2}, dL/dw3 = {dw3}, dL/dw4 = {dw4}");
